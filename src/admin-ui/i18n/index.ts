// The admin page's two languages: one dictionary per language, the same keys in both.
import type { MiddlewareHandler } from "hono";
import { languageDetector } from "hono/language";
import { de } from "./de";
import { deActivity } from "./de-activity";
import { deCredentials } from "./de-credentials";
import { deErrors } from "./de-errors";
import { deFailed } from "./de-failed";
import { dePending } from "./de-pending";
import { deSending } from "./de-sending";
import { en } from "./en";
import { enActivity } from "./en-activity";
import { enCredentials } from "./en-credentials";
import { enErrors } from "./en-errors";
import { enFailed } from "./en-failed";
import { enPending } from "./en-pending";
import { enSending } from "./en-sending";

export const LANGUAGES = ["en", "de"] as const;
export type Language = (typeof LANGUAGES)[number];
export type MessageKey =
  | keyof typeof en
  | keyof typeof enSending
  | keyof typeof enActivity
  | keyof typeof enFailed
  | keyof typeof enPending
  | keyof typeof enCredentials
  | keyof typeof enErrors;
export type Messages = Record<MessageKey, string>;

export const DICTIONARY: Record<Language, Messages> = {
  en: { ...en, ...enSending, ...enActivity, ...enFailed, ...enPending, ...enCredentials, ...enErrors },
  de: { ...de, ...deSending, ...deActivity, ...deFailed, ...dePending, ...deCredentials, ...deErrors },
};

export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

/** `?lang=` (the page's switch) wins, then Accept-Language, else English. Nothing is stored. */
export function detectLanguage(): MiddlewareHandler {
  return languageDetector({
    order: ["querystring", "header"],
    lookupQueryString: "lang",
    supportedLanguages: [...LANGUAGES],
    fallbackLanguage: "en",
    caches: false,
  });
}

/** Fills `{name}` placeholders; unknown placeholders stay as they are. */
export function format(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  );
}
