import { describe, expect, it } from "vitest";
import { DICTIONARY, format, LANGUAGES } from "../../src/admin-ui/i18n";
import { API_MESSAGE_KEYS } from "../../src/admin-ui/i18n/api-messages";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the admin page's dictionary", () => {
  it("has the same keys in English and German", () => {
    expect(Object.keys(DICTIONARY.de).sort()).toEqual(Object.keys(DICTIONARY.en).sort());
  });

  it("has no empty message in any language", () => {
    for (const lang of LANGUAGES) {
      const empty = Object.entries(DICTIONARY[lang]).filter(([, text]) => text.trim() === "");
      expect(empty, lang).toEqual([]);
    }
  });

  it("uses the same placeholders in both languages", () => {
    for (const [key, english] of Object.entries(DICTIONARY.en)) {
      const german = DICTIONARY.de[key as keyof typeof DICTIONARY.de];
      expect(placeholders(german), key).toEqual(placeholders(english));
    }
  });

  it("words every field error of the API in German, not in the API's English", () => {
    const untranslated = API_MESSAGE_KEYS.filter((key) => DICTIONARY.de[key] === DICTIONARY.en[key]);
    expect(untranslated).toEqual([]);
  });

  it("follows the German docs' wording", () => {
    expect(DICTIONARY.de).toMatchObject({
      crumbSettings: "Einstellungen",
      crumbIntegrations: "Integrationen",
      crumbCouplings: "Koppelungen",
      newWebhook: "Neuer Webhook",
      fieldActive: "Is active",
      fieldTriggers: "Auslöser",
      fieldEvents: "Events auswählen",
      testWebhook: "Test-Webhook",
      logHeading: "Log-Übersicht",
    });
  });
});

describe("format", () => {
  it("fills placeholders and leaves unknown ones alone", () => {
    expect(format("{n} of {total}", { n: 3 })).toBe("3 of {total}");
    expect(format("Webhook “{name}” saved.", { name: "CRM" })).toBe("Webhook “CRM” saved.");
  });
});
