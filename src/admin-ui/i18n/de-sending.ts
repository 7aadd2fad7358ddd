// German wording of how a webhook sends (see en-sending.ts).
import type { enSending } from "./en-sending";

export const deSending: Record<keyof typeof enSending, string> = {
  triggerGroup_webhook: "Andere Webhooks",
  triggersOperationalHint:
    "Nachrichten über die anderen Webhooks dieses Kontos: wenn Zustellungen an einen seit einer Stunde fehlschlagen (danach einmal täglich, solange das anhält), wenn der Dienst einen deaktiviert hat und wenn Zustellungen an ihn wieder gelingen.",
  entity_webhook: "Webhook",
  action_failing: "Störung",
  action_disabled: "Deaktivierung",
  action_recovered: "Störung behoben",
  fieldHeaders: "Eigene Header",
  fieldHeadersHint:
    "Zusätzliche Header, die der Empfänger verlangt, z. B. einen Zugangsschlüssel. Namen dürfen Buchstaben, Ziffern und !#$%&'*+-.^_`|~ enthalten. Die Werte sind Zugangsdaten: Nach dem Speichern bleiben sie verborgen (••••), bis Sie sie anzeigen; eine Eingabe in einen verborgenen Wert ersetzt ihn.",
  headerName: "Header-Name",
  headerValue: "Wert",
  headerValueHidden: "•••• (verborgen)",
  headerAdd: "Header hinzufügen",
  headerRemove: "Entfernen",
  headerRemoveLabel: "Header {name} entfernen",
  headersReveal: "Werte anzeigen",
  headersHide: "Werte verbergen",
  headersNone: "keine",
  fieldPace: "Zustellungen pro Sekunde",
  fieldPaceHint:
    "Die Höchstzahl der Zustellungen, die in einer Sekunde beginnen; weitere warten, bis sie an der Reihe sind, keine geht verloren. Leer: keine Begrenzung. Von 1 bis 1000.",
  factHeaders: "Eigene Header",
  factPace: "Zustellungen pro Sekunde",
  paceLimit: "höchstens {n}",
  paceNone: "keine Begrenzung",
};
