// A first run that cannot mislead: npm start prints the admin link only for a server that is its
// own, and stops with a reason before starting anything when .dev.vars lacks a required secret.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { REQUIRED_SECRETS } from "../../src/http/health";
import { freePort, repoRoot, runStart } from "./started-service";

const scratch: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "eventinsight-first-run-"));
  scratch.push(dir);
  return dir;
}

/** A server that answers like this service would, as another copy of it or an impostor might. */
function serviceLookalike(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(req.url === "/healthz" ? { status: "ok", version: "1.0.0" } : {}));
  });
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once("error", reject).listen(port, "127.0.0.1", () => resolve(server));
  });
}

/** A checkout of the start script and its configuration, with `devVars` as its .dev.vars. */
function checkoutWithDevVars(devVars: string): string {
  const dir = scratchDir();
  cpSync(join(repoRoot, "scripts"), join(dir, "scripts"), { recursive: true });
  for (const file of ["wrangler.toml", ".dev.vars.example", "package.json"]) {
    cpSync(join(repoRoot, file), join(dir, file));
  }
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, ".dev.vars"), devVars);
  return dir;
}

const example = readFileSync(join(repoRoot, ".dev.vars.example"), "utf8");

describe("npm start with its port taken", () => {
  it("says so and stops with a non-zero exit, printing no link", async () => {
    const port = await freePort();
    await serviceLookalike(port);
    const { code, output } = await runStart({ PORT: String(port), PERSIST_DIR: scratchDir() });
    expect(code, output).toBe(1);
    expect(output).toContain(`port ${port} is already in use`);
    expect(output).not.toContain("Admin page");
  });

  it("prints no link when the port is taken after its check, while it starts", async () => {
    const port = await freePort();
    const persist = scratchDir();
    let running = true;
    const ended = runStart({ PORT: String(port), PERSIST_DIR: persist }).finally(() => (running = false));
    // The port check is over once the migrations write the local database; wrangler dev binds
    // the port seconds later.
    while (running && readdirSync(persist, { recursive: true }).length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(running, "npm start ended before it migrated").toBe(true);
    await serviceLookalike(port);
    const { code, output } = await ended;
    expect(code, output).toBe(1);
    expect(output).toContain("wrangler dev ended");
    expect(output).not.toContain("Admin page");
  });
});

describe("npm start with a required secret missing from .dev.vars", () => {
  const cases = [
    {
      what: "an older .dev.vars without SECRET_ENCRYPTION_KEY",
      name: "SECRET_ENCRYPTION_KEY",
      devVars: example.replace(/^SECRET_ENCRYPTION_KEY=.*\n/m, ""),
    },
    {
      what: "an empty ADMIN_JWT_SECRET",
      name: "ADMIN_JWT_SECRET",
      devVars: example.replace(/^ADMIN_JWT_SECRET=.*$/m, "ADMIN_JWT_SECRET="),
    },
  ];
  for (const { what, name, devVars } of cases) {
    it(`stops before wrangler starts, naming ${name} and the fix, for ${what}`, async () => {
      expect(devVars).not.toMatch(new RegExp(`^${name}=.`, "m"));
      const checkout = checkoutWithDevVars(devVars);
      const { code, output } = await runStart({ PORT: String(await freePort()) }, { checkout });
      expect(code, output).toBe(1);
      expect(output).toContain(`.dev.vars lacks ${name}`);
      expect(output).toContain(".dev.vars.example");
      expect(output).toContain("delete .dev.vars");
      expect(output).not.toContain("Admin page");
      expect(output).not.toMatch(/wrangler \d/); // wrangler's banner: it never ran
    });
  }
});

describe("the required secrets", () => {
  it("that /healthz checks are wrangler.toml's [secrets] required, locally and in production", () => {
    const config = join(repoRoot, "wrangler.toml");
    for (const env of [undefined, "production"]) {
      const { secrets } = unstable_readConfig({ config, env }, { hideWarnings: true });
      expect(secrets?.required, env).toEqual([...REQUIRED_SECRETS]);
    }
  });
});
