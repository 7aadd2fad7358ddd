// German wording of what goes wrong, by the API's codes (see en-errors.ts for how keys are picked).
import type { enErrors } from "./en-errors";

export const deErrors: Record<keyof typeof enErrors, string> = {
  error_invalid_type: "Kein gültiger Wert",
  error_too_small: "Muss mindestens {minimum} sein",
  error_too_small_empty: "Darf nicht leer sein",
  error_too_small_string: "Muss mindestens {minimum} Zeichen lang sein",
  error_too_small_array: "Wählen Sie mindestens {minimum} aus",
  error_too_small_triggers: "Wählen Sie mindestens einen Auslöser",
  error_too_big: "Darf höchstens {maximum} sein",
  error_too_big_string: "Darf höchstens {maximum} Zeichen lang sein",
  error_too_big_array: "Höchstens {maximum} Einträge",
  error_too_big_event_ids: "Höchstens {maximum} Veranstaltungen",
  error_invalid_format: "Nicht im erwarteten Format",
  error_invalid_format_datetime: "Muss ein Zeitpunkt nach ISO 8601 sein, z. B. 2026-11-27T10:00:00Z",
  error_invalid_value: "Kein erlaubter Wert",
  error_invalid_type_max_per_second: "Eine ganze Zahl von 1 bis 1000 oder leer für keine Begrenzung",
  error_too_small_max_per_second: "Eine ganze Zahl von 1 bis 1000 oder leer für keine Begrenzung",
  error_too_big_max_per_second: "Eine ganze Zahl von 1 bis 1000 oder leer für keine Begrenzung",
  error_unknown_field: "Unbekanntes Feld",
  error_control_characters: "Darf keine Zeilenumbrüche oder anderen Steuerzeichen enthalten",
  error_invalid_url: "Muss eine vollständige URL sein, z. B. https://crm.example.com/hooks",
  error_url_scheme: "Muss https verwenden",
  error_url_scheme_or_http: "Muss https oder http verwenden",
  error_url_userinfo: "Darf keinen Benutzernamen und kein Passwort enthalten",
  error_url_port: "Port 0 ist nicht erlaubt",
  error_private_host:
    "Muss auf eine öffentliche Adresse zeigen, nicht auf eine private, lokale oder reservierte",
  error_invalid_cursor: "Diese Seite der Liste ist nicht mehr gültig: Bitte laden Sie die Seite neu",
  error_duplicate: "Doppelt angegeben",
  error_required: "Pflichtangabe",
  error_not_allowed: "Hier nicht erlaubt",
  error_malformed_json: "Der Dienst konnte die Anfrage nicht lesen",
  error_invalid_type_header: "Muss eine Zeichenkette sein",
  error_duplicate_header:
    "Eine andere Zeile hat diesen Namen (bei Header-Namen zählt Groß- und Kleinschreibung nicht)",
  error_control_characters_header:
    "Darf keine Zeilenumbrüche, Tabulatoren oder anderen Steuerzeichen enthalten",
  error_header_name_invalid:
    "Namen dürfen nur Buchstaben, Ziffern und !#$%&'*+-.^_`|~ enthalten (keine Leerzeichen)",
  error_header_name_too_long: "Namen dürfen höchstens {maximum} Zeichen lang sein",
  error_header_name_reserved: "Diesen Header setzt der Dienst selbst; wählen Sie einen anderen Namen",
  error_header_name_transport:
    "Steuert, wie die Anfrage gesendet wird, und kann nicht je Webhook gesetzt werden",
  error_header_value_too_long: "Werte dürfen höchstens {maximum} Zeichen lang sein",
  error_header_value_not_ascii: "Werte dürfen nur ASCII-Zeichen enthalten (keine Umlaute, kein €, …)",
  error_header_value_spaces: "Werte dürfen nicht mit einem Leerzeichen beginnen oder enden",
  error_too_many_headers: "Höchstens {maximum} Header",
  problem_validation_failed: "Der Dienst hat die Anfrage als ungültig abgelehnt.",
  problem_malformed_json: "Der Dienst konnte die Anfrage nicht lesen. Bitte laden Sie die Seite neu.",
  problem_unauthorized: "Das Token wurde abgelehnt oder ist abgelaufen. Bitte geben Sie ein neues ein.",
  problem_not_found:
    "Das gibt es nicht mehr. Bitte laden Sie die Seite neu, um den aktuellen Stand zu sehen.",
  problem_method_not_allowed: "Das bietet der Dienst nicht an. Bitte laden Sie die Seite neu.",
  problem_conflict: "Im aktuellen Zustand des Webhooks nicht möglich.",
  problem_superseded:
    "Nicht gesendet: Eine neuere Änderung desselben Datensatzes wurde inzwischen zugestellt, diese ältere wird nicht mehr gesendet.",
  problem_payload_too_large: "Zu viele Daten für eine Anfrage.",
  problem_unsupported_media_type: "Der Dienst konnte die Anfrage nicht lesen. Bitte laden Sie die Seite neu.",
  problem_rate_limited: "Zu viele Anfragen. Bitte versuchen Sie es in {seconds} Sekunden erneut.",
  problem_internal_error:
    "Auf unserer Seite ist ein Fehler aufgetreten. Falls er wieder auftritt, geben Sie bei Rückfragen die Anfrage-ID {request_id} an.",
  problem_queue_unavailable:
    "Der Dienst konnte den Auftrag gerade nicht annehmen. Bitte versuchen Sie es gleich noch einmal.",
  problem_unavailable:
    "Die Änderung ist gespeichert, konnte aber laufenden Zustellungen noch nicht mitgeteilt werden. Bitte speichern Sie sie noch einmal.",
  problem_other: "Das hat nicht geklappt (HTTP {status}).",
  problem_script: "Das hat nicht geklappt. Bitte laden Sie die Seite neu.",
};
