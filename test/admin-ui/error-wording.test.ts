// The admin page words errors by their codes, never by the API's English text: every field-error
// code and every problem type the API can answer has a wording in each language.
import { describe, expect, it } from "vitest";
import { DICTIONARY, LANGUAGES } from "../../src/admin-ui/i18n";
import { FIELD_ERROR_CODES } from "../../src/http/field-errors";
import { PROBLEMS } from "../../src/http/problem";

const keys = Object.keys(DICTIONARY.en);

describe("the wording of errors", () => {
  it.each(LANGUAGES)("has a %s wording for every field-error code", (lang) => {
    const missing = FIELD_ERROR_CODES.filter((code) => !DICTIONARY[lang][`error_${code}` as never]);
    expect(missing).toEqual([]);
  });

  it.each(LANGUAGES)("has a %s wording for every problem the API answers", (lang) => {
    const missing = Object.keys(PROBLEMS).filter((code) => !DICTIONARY[lang][`problem_${code}` as never]);
    expect(missing).toEqual([]);
  });

  it("has no wording for a code the API does not send", () => {
    const stale = keys
      .filter((key) => key.startsWith("error_"))
      .filter(
        (key) =>
          !FIELD_ERROR_CODES.some((code) => key === `error_${code}` || key.startsWith(`error_${code}_`)),
      );
    expect(stale).toEqual([]);
  });

  it("words every error in German, not in English", () => {
    const untranslated = keys.filter(
      (key) => /^(error|problem)_/.test(key) && DICTIONARY.de[key as never] === DICTIONARY.en[key as never],
    );
    expect(untranslated).toEqual([]);
  });

  it("names the request id in the words for a 500", () => {
    for (const lang of LANGUAGES) expect(DICTIONARY[lang].problem_internal_error).toContain("{request_id}");
  });
});
