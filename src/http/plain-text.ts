// Single-line text fields (names, ids, search terms) refuse control characters: a line break in a
// name would break every place that shows it, and URL parsing silently drops them.
import { withCode } from "./field-errors";

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|\p{Cs}/u;

/** Arguments for a zod string's `.refine()`: no control characters (code control_characters). */
export const noControlCharacters = [
  (text: string) => !CONTROL_CHARACTER.test(text),
  withCode("control_characters", "Must not contain control characters such as line breaks"),
] as const;
