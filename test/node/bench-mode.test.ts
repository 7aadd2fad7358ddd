import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("production configuration", () => {
  it("never turns on bench mode", () => {
    const toml = readFileSync(join(import.meta.dirname, "../../wrangler.toml"), "utf8");
    const start = toml.search(/^\[env\.production\]$/m);
    expect(start).toBeGreaterThan(0);
    const production = toml.slice(start);
    expect(production).toMatch(/^\[env\.production\.vars\]$/m);
    expect(production).not.toMatch(/BENCH_MODE/);
  });
});
