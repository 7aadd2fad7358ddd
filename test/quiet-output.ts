// What the test runs (npm test, npm run test:faults) leave out of their output: lines the runtime
// and wrangler print on every run while the tests pass, hundreds of them, which hid the failures
// and summaries a reader looks for. Only these exact shapes go; anything else (a failure, an
// exception the runtime reports about anything but the connections below) is printed as before.
//
// The tests' own console output: vitest's `silent: "passed-only"` shows a test's console.error
// and console.warn (the Worker's error lines, most of them provoked on purpose) only when that
// test fails; `summaryLines` prints every console.log as it comes, since the tests log only
// their tallies (faults injected and what became of them, inputs fuzzed, URLs checked).
import { stripVTControlCharacters } from "node:util";
import type { Reporter } from "vitest/node";

const EXPECTED_NOISE = [
  // workerd reporting fetches the tests aim at closed loopback ports (a receiver already stopped,
  // DOH_URL's port 9) or cut off on purpose (the fault matrix's resets): the code handles the
  // failure, the runtime reports it anyway.
  /^uncaught exception; .*(Network connection lost|Connection refused|Connection reset by peer)/,
  /^exception = \S+: disconnected: (Connection refused|Network connection lost|Connection reset by peer)/,
  // wrangler reading wrangler.toml for each test file; the tests bind their own secrets.
  /^Using secrets defined in /,
  /Missing required secrets: /,
  // Vite on a package that ships source maps without their sources.
  /^Sourcemap for "\S*\/node_modules\/\S*" points to missing source files$/,
];

/** After a noise line: the runtime's native stack (addresses in its binary) and blank lines. */
const NOISE_TAIL = [/^stack: \S*workerd@/, /^\s*$/];

function quiet(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
  let afterNoise = false;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    const lines = text.split("\n");
    const kept = lines.filter((line: string, i: number) => {
      if (i === lines.length - 1 && line === "") return true; // the chunk's own line end
      const plain = stripVTControlCharacters(line);
      const noise = EXPECTED_NOISE.some((pattern) => pattern.test(plain));
      const tail = afterNoise && NOISE_TAIL.some((pattern) => pattern.test(plain));
      afterNoise = noise || tail;
      return !afterNoise;
    });
    if (kept.length === lines.length) return write(chunk, ...rest);
    return kept.length === 1 && kept[0] === "" ? true : write(kept.join("\n"), ...rest);
  }) as typeof stream.write;
}

/** Leaves the expected noise out of this process's stdout and stderr. */
export function quietExpectedNoise(): void {
  quiet(process.stdout);
  quiet(process.stderr);
}

/** A reporter printing the tests' console.log lines, the tallies, whatever `silent` says. */
export const summaryLines: Reporter = {
  onUserConsoleLog(log) {
    if (log.type === "stdout") process.stdout.write(log.content);
  },
};
