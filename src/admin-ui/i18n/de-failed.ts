// German wording of a webhook's failed deliveries (see en-failed.ts).
import type { enFailed } from "./en-failed";

export const deFailed: Record<keyof typeof enFailed, string> = {
  failedHeading: "Fehlgeschlagene Zustellungen",
  failedHint:
    "Endgültig fehlgeschlagene Zustellungen der letzten 30 Tage, neueste zuerst. Öffnen Sie eine, um den gesendeten Inhalt und die letzte Antwort des Empfängers zu sehen.",
  failedEmpty: "Keine fehlgeschlagenen Zustellungen in den letzten 30 Tagen.",
  failedLoaded_one: "{n} fehlgeschlagene Zustellung aufgelistet.",
  failedLoaded_other: "{n} fehlgeschlagene Zustellungen aufgelistet.",
  failedAt: "fehlgeschlagen am {time}",
  failedRecoveredLabel: "Erneut zugestellt am {time}",
  failedRecoveringLabel: "Wird nachgeholt",
  failedBefore: "Zuvor: {reason}.",
  messageId: "webhook-id",
  failedSent: "Gesendeter Inhalt",
  failedLastResponse: "Letzte Antwort",
  failedNoAnswer: "Keine Antwort: {error}",
  failedNotSent: "Nie gesendet: Es gab keinen Versuch.",
  truncatedKiB: "(auf 1 KiB gekürzt)",
  attempts_one: "{n} Versuch",
  attempts_other: "{n} Versuche",
  lastAnswer: "letzte Antwort {status}",
  reasonLabel_exhausted: "Versuche ausgeschöpft",
  reasonLabel_gone: "410 Gone",
  reasonLabel_disabled: "Webhook inaktiv",
  reasonLabel_deactivated: "Ausgeschaltet",
  reasonLabel_superseded: "Überholt",
  reasonLabel_unprocessable: "Nicht verarbeitbar",
  reason_exhausted: "Alle geplanten Versuche sind fehlgeschlagen.",
  reason_gone: "Der Empfänger hat mit 410 Gone geantwortet, daher wurde der Webhook deaktiviert.",
  reason_disabled: "Der Webhook war inaktiv, als die Änderung kam.",
  reason_deactivated:
    "Der Webhook wurde auf inaktiv gesetzt, während diese Zustellung auf ihren nächsten Versuch wartete, daher wurde sie nicht mehr versucht. „Zustellungen nachholen“ sendet sie erneut, sobald der Webhook aktiv ist.",
  reason_superseded:
    "Eine neuere Änderung desselben Datensatzes wurde inzwischen zugestellt, deshalb wird diese ältere nie mehr gesendet: „Zustellungen nachholen“ und „Erneut senden“ überspringen sie.",
  reason_unprocessable: "Der Dienst konnte sie nicht verarbeiten.",
  supersededRefused:
    "Nicht gesendet: Eine neuere Änderung desselben Datensatzes wurde inzwischen zugestellt, deshalb wird diese ältere nie mehr gesendet. Sie ist jetzt als überholt aufgeführt.",
  redeliverBusy:
    "Jetzt nicht gesendet: Diese Zustellung oder eine frühere Änderung desselben Datensatzes ist gerade unterwegs. Die Änderungen eines Datensatzes bleiben in ihrer Reihenfolge: siehe „Ausstehende Zustellungen“.",
  recoveredNothing: "Es gab nichts nachzuholen.",
  recoveredSuperseded_one:
    "{n} wurde nicht nachgeholt: Eine neuere Änderung desselben Datensatzes wurde inzwischen zugestellt (überholt).",
  recoveredSuperseded_other:
    "{n} wurden nicht nachgeholt: Neuere Änderungen derselben Datensätze wurden inzwischen zugestellt (überholt).",
};
