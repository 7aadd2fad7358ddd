import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintOpenApi } from "./openapi-lint";
import { compileClients } from "./openapi-types";
import { repoRoot, runStart, type StartedService, startService } from "./started-service";

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString());

const TRIGGERS = [
  "user.new",
  "user.update",
  "user.delete",
  "company.new",
  "company.update",
  "company.delete",
  "webhook.failing",
  "webhook.disabled",
  "webhook.recovered",
];

describe("npm start", () => {
  let service: StartedService;
  beforeAll(async () => {
    service = await startService();
  }, 120_000);
  afterAll(() => service?.stop());

  it("serves /healthz", async () => {
    const res = await fetch(`${service.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });

  it("prints an admin link whose dev token the admin API accepts", async () => {
    const token = /\/admin#token=([\w.-]+)/.exec(service.output())?.[1];
    expect(token, service.output()).toBeDefined();
    const res = await fetch(`${service.base}/v1/webhooks`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ data: [], next_cursor: null });
  });

  it("mints the printed link's claims with npm run token and no arguments", () => {
    const printed = /\/admin#token=([\w.-]+)/.exec(service.output())?.[1] ?? "";
    const minted = execFileSync("npm", ["run", "-s", "token"], { cwd: repoRoot, encoding: "utf8" }).trim();
    const { exp: printedExp, ...printedClaims } = claimsOf(printed);
    const { exp: mintedExp, ...mintedClaims } = claimsOf(minted);
    expect(printedClaims).toEqual({
      sub: "u1",
      account_id: "acme",
      email: expect.any(String),
      name: expect.any(String),
    });
    expect(mintedClaims).toEqual(printedClaims);
    expect(mintedExp).toBeGreaterThanOrEqual(printedExp);
  });

  it("accepts an admin token minted as docs/embedding.md shows EventInsight's backend", async () => {
    const docs = readFileSync(join(repoRoot, "docs/embedding.md"), "utf8");
    const minting = /```js\n([\s\S]*?)```/.exec(docs)?.[1] ?? "";
    const secret = /^ADMIN_JWT_SECRET=(.*)$/m.exec(readFileSync(join(repoRoot, ".dev.vars"), "utf8"))?.[1];
    const mint = (seconds: number) => {
      const admin = "{ id: 7, accountId: 'acme', email: 'ada@example.com', name: 'Ada' }";
      const run = spawnSync(
        process.execPath,
        ["--input-type=module", "-e", `${minting}\nprocess.stdout.write(adminToken(${admin}, ${seconds}))`],
        { encoding: "utf8", env: { ...process.env, ADMIN_JWT_SECRET: secret } },
      );
      expect(run.status, run.stderr).toBe(0);
      return run.stdout;
    };
    const token = mint(3600);
    const { exp, ...claims } = claimsOf(token);
    expect(claims).toEqual({ sub: "7", account_id: "acme", email: "ada@example.com", name: "Ada" });
    const list = (jwt: string) =>
      fetch(`${service.base}/v1/webhooks`, { headers: { authorization: `Bearer ${jwt}` } });
    const res = await list(token);
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await list(mint(25 * 3600))).status, "longer than 24 h").toBe(401);
  });

  it("refuses a second npm start on the same port without printing a link", async () => {
    const { code, output } = await runStart({ PORT: String(service.port) });
    expect(code, output).toBe(1);
    expect(output).toContain(`port ${service.port} is already in use`);
    expect(output).not.toContain("Admin page");
    const res = await fetch(`${service.base}/healthz`);
    expect(res.status, "the first one still serves").toBe(200);
  });

  it("serves an OpenAPI 3.1 document that validates", async () => {
    const res = await fetch(`${service.base}/v1/openapi.json`);
    expect(res.status).toBe(200);
    const document = await res.json();
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("lints clean with Redocly: 0 errors, 0 warnings", async () => {
    const document = await (await fetch(`${service.base}/v1/openapi.json`)).json();
    const report = lintOpenApi(document);
    expect(report.problems, JSON.stringify(report.problems, null, 2)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it("types a minimal change, webhook and receiver with openapi-typescript's default options", () => {
    const { generated, compiled } = compileClients(`${service.base}/v1/openapi.json`);
    expect(generated.status, generated.output).toBe(0);
    expect(compiled.output).toBe("");
    expect(compiled.status).toBe(0);
  });

  it("names the server, gives every operation an operationId and describes every delivered request", async () => {
    const res = await fetch(`${service.base}/v1/openapi.json`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const document = await res.json();
    expect(document.servers).toEqual([expect.objectContaining({ url: service.base })]);
    const operations = [...Object.values(document.paths), ...Object.values(document.webhooks)].flatMap(
      (item) => Object.values(item as Record<string, { operationId?: string }>),
    );
    expect(operations.filter((op) => !op.operationId)).toEqual([]);
    expect(Object.keys(document.webhooks).sort()).toEqual([...TRIGGERS, "test"].sort());
    for (const [name, item] of Object.entries<any>(document.webhooks)) {
      const headers = item.post.parameters
        .filter((p: { in: string }) => p.in === "header")
        .map((p: any) => p.name);
      expect(headers, name).toEqual(
        expect.arrayContaining([
          "webhook-id",
          "webhook-timestamp",
          "webhook-signature",
          "user-agent",
          "content-type",
        ]),
      );
      expect(item.post.requestBody.content["application/json"].schema.$ref, name).toMatch(/Payload$/);
    }
  });
});
