// German wording of the signing scheme and the endpoint authentication (see en-credentials.ts).
import type { enCredentials } from "./en-credentials";

export const deCredentials: Record<keyof typeof enCredentials, string> = {
  fieldSigning: "Signaturverfahren",
  fieldSigningHint:
    "Wie Anfragen signiert werden. HMAC-SHA256: Empfänger prüfen Signaturen mit dem gemeinsamen Signaturschlüssel. Ed25519: Empfänger prüfen sie mit einem öffentlichen Schlüssel, mit dem sich nichts signieren lässt; gerät er in fremde Hände, kann damit niemand Anfragen fälschen. Ein Wechsel des Verfahrens erzeugt einen neuen Schlüssel; 24 Stunden lang tragen Anfragen eine Signatur je Verfahren.",
  signingHmac: "HMAC-SHA256 (Signaturschlüssel)",
  signingEd25519: "Ed25519 (öffentlicher Schlüssel)",
  fieldAuth: "Anmeldung beim Empfänger",
  fieldAuthHint:
    "Wie sich der Dienst zusätzlich zur Signatur beim Empfänger anmeldet. Mit OAuth2 holt er vor dem Senden mit Client-ID und Client-Geheimnis ein Token von der Token-URL und sendet es mit jeder Anfrage.",
  authNone: "Keine",
  authOauth: "OAuth2 mit Client-Zugangsdaten",
  authTokenUrl: "Token-URL",
  authTokenUrlHint: "Wo der Dienst seine Token abruft, z. B. https://login.example.com/oauth/token.",
  authClientId: "Client-ID",
  authClientIdHint: "Die Client-ID, die Ihnen der Anmeldedienst des Empfängers gegeben hat.",
  authClientSecret: "Client-Geheimnis",
  authClientSecretHint:
    "Zugangsdaten: Nach dem Speichern bleibt es verborgen (••••), bis Sie es anzeigen, und bleibt erhalten, wenn Sie das Feld leer lassen. Eine neue Token-URL oder Client-ID verlangt es erneut.",
  authScope: "Berechtigungen",
  authScopeHint: "Freiwillig: die anzufragenden Berechtigungen, durch Leerzeichen getrennt.",
  factAuth: "Anmeldung beim Empfänger",
  publicKeyHeading: "Öffentlicher Schlüssel (Ed25519)",
  publicKeyLabel: "Öffentlicher Schlüssel",
  publicKeyCopied: "Öffentlicher Schlüssel kopiert.",
  publicKeyCopyFailed:
    "Kopieren fehlgeschlagen: Markieren Sie den öffentlichen Schlüssel und kopieren Sie ihn von Hand.",
  publicKeyRotateHint:
    "Ein neues Schlüsselpaar ersetzt das alte; 24 Stunden lang tragen Anfragen zusätzlich eine Signatur mit dem alten Schlüssel.",
  publicKeyRotated: "Neues Schlüsselpaar erzeugt. Der alte Schlüssel signiert noch bis {time}.",
  publicKeyVerifyHint:
    "Empfänger prüfen die v1a-Signatur jeder Anfrage mit diesem öffentlichen Schlüssel. Signieren lässt sich damit nichts: Er darf weitergegeben werden.",
  "error_required_auth.client_secret":
    "Geben Sie das Client-Geheimnis ein: Eine neue Token-URL oder Client-ID verlangt es erneut",
  "error_invalid_url_auth.token_url":
    "Muss eine vollständige URL sein, z. B. https://login.example.com/oauth/token",
  error_invalid_format_oauth_scope:
    'Berechtigungen sind Namen, getrennt durch einzelne Leerzeichen, ohne " und \\',
};
