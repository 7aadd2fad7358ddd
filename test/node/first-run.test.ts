// A first run that cannot mislead: npm start prints the admin link only for a server that is its
// own, and stops with a reason before starting anything when .dev.vars lacks a required secret.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { CONFIG_VARS } from "../../src/config-vars";
import { REQUIRED_SECRETS } from "../../src/http/health";
import { freePort, repoRoot, runStart, startService } from "./started-service";

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

/**
 * A checkout of the start script and its configuration, with `devVars` as its .dev.vars; `whole`:
 * with the Worker's code and migrations too, so that it starts.
 */
function checkoutWithDevVars(devVars: string, { whole = false } = {}): string {
  const dir = scratchDir();
  for (const folder of ["scripts", ...(whole ? ["src", "migrations"] : [])])
    cpSync(join(repoRoot, folder), join(dir, folder), { recursive: true });
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

describe("the vars in .dev.vars", () => {
  it("can set every var the Worker reads: wrangler.toml declares each under [vars]", () => {
    const { vars } = unstable_readConfig({ config: join(repoRoot, "wrangler.toml") }, { hideWarnings: true });
    expect(Object.keys(vars ?? {}).sort()).toEqual(expect.arrayContaining([...CONFIG_VARS].sort()));
  });

  it("that wrangler dev will not read are named with the way to pass them, never their value", async () => {
    const port = await freePort();
    await serviceLookalike(port); // it stops at the port check, after reading .dev.vars
    const checkout = checkoutWithDevVars(
      `${example}SECRET_ENCRYPTION_KEY_PREVIOUS=old-key-value\nRETRY_DELAYS_S=1,1\n`,
    );
    const { code, output } = await runStart({ PORT: String(port) }, { checkout });
    expect(code, output).toBe(1);
    expect(output).toContain(
      ".dev.vars sets SECRET_ENCRYPTION_KEY_PREVIOUS, which wrangler dev does not read",
    );
    expect(output).toContain("npm start -- --var SECRET_ENCRYPTION_KEY_PREVIOUS:<value>");
    expect(output).not.toContain("old-key-value");
    expect(output).not.toMatch(/sets [^\n]*RETRY_DELAYS_S/); // declared: read
  });

  it("set the retry schedule of npm start (RETRY_DELAYS_S=0: one retry at once, then failed)", async () => {
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      received.push(req.headers["webhook-id"] as string);
      res.writeHead(500).end();
    });
    servers.push(receiver);
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const receiverPort = (receiver.address() as { port: number }).port;
    const service = await startService(
      {},
      {
        checkout: checkoutWithDevVars(`${example}RETRY_DELAYS_S=0\n`, { whole: true }),
        persist: scratchDir(),
      },
    );
    try {
      const token = /Admin token: +([\w.-]+)/.exec(service.output())?.[1];
      const api = (method: string, path: string, body: unknown, bearer = token) =>
        fetch(`${service.base}${path}`, {
          method,
          headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const created = await api("POST", "/v1/webhooks", {
        name: "failing receiver",
        url: `http://127.0.0.1:${receiverPort}/in`,
      });
      expect(created.status, await created.clone().text()).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const change = {
        account_id: "acme",
        entity_type: "user",
        entity_id: 1,
        action_type: "update",
        result: {},
      };
      expect((await api("POST", "/v1/changes", change, "dev-ingest-token")).status).toBe(202);
      let failed: { attempts: number }[] = [];
      for (let i = 0; i < 150 && failed.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        failed = ((await (await api("GET", `/v1/webhooks/${id}/failed`, undefined)).json()) as { data: [] })
          .data;
      }
      // The default schedule would have retried after 5 s and then waited 5 minutes.
      expect(failed).toMatchObject([{ attempts: 2 }]);
      expect(received).toHaveLength(2);
    } finally {
      await service.stop();
    }
  }, 120_000);
});
