// German wording of what waits for a webhook and of Retry now (see en-pending.ts).
import type { enPending } from "./en-pending";

export const dePending: Record<keyof typeof enPending, string> = {
  pendingHeading: "Ausstehende Zustellungen",
  pendingCount_one: "{n} Zustellung wartet oder ist unterwegs.",
  pendingCount_other: "{n} Zustellungen warten oder sind unterwegs.",
  pendingCountMore: "Mehr als {n} Zustellungen warten oder sind unterwegs.",
  pendingList: "Ausstehende Zustellungen, älteste zuerst",
  pendingState_retry: "Neuer Versuch",
  pendingState_held: "Zurückgehalten",
  pendingState_paced: "In der Warteschlange",
  pendingState_out: "Wird gesendet",
  pendingReceived: "eingegangen am {time}",
  pendingRetry: "Versuch {attempt} am {time}.",
  pendingRetryDue: "Versuch {attempt} ist jetzt fällig.",
  pendingLastAnswer: "Letzter Versuch: Antwort {status}.",
  pendingLastError: "Letzter Versuch: {error}.",
  pendingHeld:
    "Wartet, bis eine frühere Änderung dieses Datensatzes zugestellt oder endgültig fehlgeschlagen ist: {change}",
  pendingHeldChange: "{change}, eingegangen am {time}",
  pendingPaced: "Wartet, bis sie an der Reihe ist: wird am {time} gesendet.",
  pendingOut: "Versuch {attempt} ist gerade unterwegs zum Empfänger.",
  pendingMore: "Weitere anzeigen",
  retryNow: "Jetzt erneut versuchen",
  retryNowHint:
    "„Jetzt erneut versuchen“ sendet alle Zustellungen, die auf einen neuen Versuch warten, sofort. Zurückgehaltene warten weiter auf die frühere Änderung ihres Datensatzes.",
  retried_one: "{n} Zustellung wird jetzt erneut versucht.",
  retried_other: "{n} Zustellungen werden jetzt erneut versucht.",
  retriedNothing: "Keine Zustellung wartete auf einen neuen Versuch.",
  retryInactive: "Aktivieren Sie den Webhook zuerst: Ein inaktiver Webhook erhält keine neuen Versuche.",
};
