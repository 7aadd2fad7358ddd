// docs/operations.md lists every log field and every line the Worker can write, not only those a
// test run happens to meet: the fields are LOG_FIELDS exactly, and every msg written anywhere in
// src/ (logInfo, logWarn, logError) is in its table of lines.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOG_FIELDS } from "../../src/log";
import { documentedLogFields, documentedLogLines } from "../log/documented";
import { repoRoot } from "./started-service";

const operations = readFileSync(join(repoRoot, "docs/operations.md"), "utf8");

/** Every TypeScript file of src/, with its text. */
const sources = readdirSync(join(repoRoot, "src"), { recursive: true, encoding: "utf8" })
  .filter((file) => /\.tsx?$/.test(file))
  .map((file) => ({ file, text: readFileSync(join(repoRoot, "src", file), "utf8") }));

/** Every msg a log call in src/ writes, with the file it is written in. */
function msgsInSource(): { msg: string; file: string }[] {
  return sources.flatMap(({ file, text }) => {
    return [...text.matchAll(/(?<!function )\blog(?:Info|Warn|Error)\(\s*"((?:[^"\\]|\\.)*)"/g)].map(
      (match) => ({
        msg: JSON.parse(`"${match[1]}"`) as string,
        file,
      }),
    );
  });
}

describe("docs/operations.md on the log", () => {
  it("lists exactly the fields of LOG_FIELDS", () => {
    expect([...documentedLogFields(operations)].sort()).toEqual([...LOG_FIELDS].sort());
  });

  it("lists every line src/ can write, and no line it cannot", () => {
    const written = msgsInSource();
    expect(written.length).toBeGreaterThan(10);
    const documented = documentedLogLines(operations);
    for (const { msg, file } of written) expect(documented, `"${msg}" (src/${file})`).toContain(msg);
    expect([...new Set(documented)].sort()).toEqual([...new Set(written.map((w) => w.msg))].sort());
  });

  it("finds no log call whose msg is not a string literal, which the check above could not read", () => {
    for (const { file, text } of sources) {
      const calls = [...text.matchAll(/(?<!function )\blog(?:Info|Warn|Error)\(\s*([^\s])/g)].map(
        (match) => match[1],
      );
      expect(
        calls.filter((first) => first !== '"'),
        `src/${file}`,
      ).toEqual([]);
    }
  });
});
