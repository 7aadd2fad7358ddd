// The admin API words its field errors (`errors[].message`) in English. The page shows them in
// its own language: this table maps each message the API sends to the dictionary key wording it.
// The English dictionary holds the API's text unchanged, so the table is read off it; a route test
// checks that the API still sends every one of them.
import { en, type MessageKey } from "./en";

export const API_MESSAGE_KEYS = [
  "fieldErrorEmpty",
  "fieldErrorTooLong100",
  "fieldErrorTooLong2048",
  "fieldErrorAbsoluteUrl",
  "fieldErrorHttps",
  "fieldErrorHttpsOrHttp",
  "fieldErrorUserinfo",
  "fieldErrorPublicHost",
  "fieldErrorNoTrigger",
  "fieldErrorTooManyEvents",
  "fieldErrorUnknownField",
  "fieldErrorDateTime",
  "fieldErrorCursor",
] as const satisfies readonly MessageKey[];

/** The API's English message → the key of its wording; handed to the page as a JSON data block. */
export const API_MESSAGES: Record<string, MessageKey> = Object.fromEntries(
  API_MESSAGE_KEYS.map((key) => [en[key], key]),
);
