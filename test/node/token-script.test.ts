// npm run token mints admin tokens of at most 24 hours, the most the API accepts.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");

function token(...args: string[]) {
  const run = spawnSync(process.execPath, ["scripts/token.mjs", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ADMIN_JWT_SECRET: "token-script-test" },
  });
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr };
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString());

describe("npm run token", () => {
  it("mints a 12-hour token by default and a 24-hour one when asked", () => {
    const now = Math.floor(Date.now() / 1000);
    const byDefault = token("--account", "acme", "--user", "u1");
    expect(byDefault.status, byDefault.stderr).toBe(0);
    expect(claimsOf(byDefault.stdout)).toMatchObject({ sub: "u1", account_id: "acme" });
    expect(claimsOf(byDefault.stdout).exp - now).toBeGreaterThanOrEqual(12 * 3600 - 5);
    const day = token("--hours", "24");
    expect(day.status, day.stderr).toBe(0);
    expect(claimsOf(day.stdout).exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(24 * 3600);
  });

  it.each([["25"], ["876000"], ["0"], ["-1"], ["soon"]])("refuses --hours %s, printing no token", (hours) => {
    const run = token(`--hours=${hours}`);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/at most 24/);
  });
});
