import { describe, expect, it } from "vitest";
import { DICTIONARY, format, LANGUAGES } from "../../src/admin-ui/i18n";

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

  it("has both plural forms of every count, in both languages", () => {
    const counted = Object.keys(DICTIONARY.en).filter((key) => key.endsWith("_one"));
    expect(counted.length).toBeGreaterThan(0);
    for (const key of counted) expect(DICTIONARY.en, key).toHaveProperty(key.replace(/_one$/, "_other"));
  });

  it("follows the German docs' wording, with one German term for events: Veranstaltungen", () => {
    expect(DICTIONARY.de).toMatchObject({
      crumbSettings: "Einstellungen",
      crumbIntegrations: "Integrationen",
      crumbCouplings: "Koppelungen",
      newWebhook: "Neuer Webhook",
      fieldTriggers: "Auslöser",
      testWebhook: "Webhook testen",
      logHeading: "Log-Übersicht",
      fieldEvents: "Veranstaltungen",
      factEvents: "Veranstaltungen",
    });
  });
});

describe("format", () => {
  it("fills placeholders and leaves unknown ones alone", () => {
    expect(format("{n} of {total}", { n: 3 })).toBe("3 of {total}");
    expect(format("Webhook “{name}” saved.", { name: "CRM" })).toBe("Webhook “CRM” saved.");
  });
});
