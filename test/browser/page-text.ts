// What a reader of the page sees, checked in the browser: English words on the German page, and
// lines that break a word apart or wrap a button's label.
//
// An "English word" is a word the English page's dictionary uses (or a common English word) that
// German does not share. The words both languages use here are listed below: product names,
// proper nouns and technical terms German writes the same way. Data the page shows as it is
// (webhook names, URLs, ids, bodies) is marked translate="no" and not checked.
import type { Page } from "playwright-core";

/** Words German shares with the English page: EventInsight's terms, proper nouns, loanwords. */
const SHARED = new Set(
  [
    ...["EventInsight", "Webhook", "Webhooks", "URL", "http", "https", "POST", "HTTP", "ID", "IDs", "ISO"],
    ...["npm", "standardwebhooks", "KiB", "ms", "ASCII", "JSON", "English", "Deutsch"],
    // German words spelled like English ones (Duden), loanwords and native words alike.
    ...[
      "Name",
      "Status",
      "Test",
      "Admin",
      "Token",
      "Link",
      "Log",
      "Header",
      "Tab",
      "Format",
      "Median",
      "Port",
    ],
    ...["in", "an", "Hand", "private"],
    // Names of signing schemes and of OAuth2's terms, written the same in German admin tools.
    ...["HMAC", "SHA", "Ed", "OAuth", "Client"],
  ].map((word) => word.toLowerCase()),
);

/** Technical phrases left as they are, e.g. a command or a status line. */
const PHRASES = [/https?:\/\/\S+/g, /\{\w+\}/g, /npm start/g, /\b410 Gone\b/g, /webhook-id/g, /\brawBody\b/g];

const COMMON_ENGLISH =
  "the and or of to is are be not with for your you this that it on at by from all".split(" ");

export const wordsOf = (text: string) => {
  const plain = PHRASES.reduce((rest, phrase) => rest.replace(phrase, " "), text);
  return (plain.match(/\p{L}{2,}/gu) ?? []).map((word) => word.toLowerCase());
};

/** The words of an English dictionary German must not use, bar the shared ones. */
export function englishWords(english: Record<string, string>): Set<string> {
  const words = [...Object.values(english).flatMap(wordsOf), ...COMMON_ENGLISH];
  return new Set(words.filter((word) => !SHARED.has(word)));
}

/** The words of `texts` that are English. */
export const englishIn = (texts: string[], english: Set<string>) =>
  [...new Set(texts.flatMap(wordsOf))].filter((word) => english.has(word));

/** The page's dictionary, as the server rendered it into the page. */
export const dictionaryOf = (page: Page): Promise<Record<string, string>> =>
  page.evaluate(() => JSON.parse(document.getElementById("messages")?.textContent ?? "{}"));

export interface PageText {
  /** Visible text outside translate="no". */
  texts: string[];
  /** Words whose letters are split over two lines, e.g. "Fehlgeschlag|en". */
  brokenWords: string[];
  /** Buttons whose label takes more than one line or does not fit. */
  wrappedButtons: string[];
}

/** Reads the visible text of the page as it is laid out now. */
export function readPageText(page: Page): Promise<PageText> {
  return page.evaluate(() => {
    const lines = (range: Range) =>
      new Set(
        [...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)),
      ).size;
    const result = { texts: [] as string[], brokenWords: [] as string[], wrappedButtons: [] as string[] };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent?.checkVisibility() || parent.closest('[translate="no"], script, style')) continue;
      const text = node.textContent ?? "";
      if (!text.trim()) continue;
      result.texts.push(text);
      for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (lines(range) > 1) result.brokenWords.push(match[0]);
      }
    }
    for (const button of document.querySelectorAll("button")) {
      if (!button.checkVisibility()) continue;
      const range = document.createRange();
      range.selectNodeContents(button);
      const overflows = button.scrollWidth > button.clientWidth + 1;
      if (lines(range) > 1 || overflows) result.wrappedButtons.push(button.textContent?.trim() ?? "");
    }
    return result;
  });
}
