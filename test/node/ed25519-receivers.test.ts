// An ed25519 webhook's requests as its receivers check them, through the service as npm start
// runs it to a real receiver on 127.0.0.1: every v1a signature verifies with the whpk_ public key
// in Node (crypto.verify) and in Python (cryptography's Ed25519PublicKey, Debian's
// python3-cryptography) — deliveries, an operational notice, the test button and a redelivery —
// and none verifies a tampered body; during a rotation's overlap and a change of scheme's, a
// receiver holding either key verifies every request.
import { execFileSync } from "node:child_process";
import { createPublicKey, verify } from "node:crypto";
import type { Server } from "node:http";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { endpointOf, type ReceivedRequest, startReceiver } from "./receiver";
import { type StartedService, startService } from "./started-service";

const PYTHON = "/usr/bin/python3";

/** Per signature of the request's header: does it verify with the public key, in Node? */
function nodeVerified(publicKey: string, request: ReceivedRequest): boolean[] {
  const x = Buffer.from(publicKey.slice("whpk_".length), "base64").toString("base64url");
  const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
  const { headers, body } = request;
  const signed = Buffer.from(`${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`);
  return (headers["webhook-signature"] ?? "").split(" ").map((signature) => {
    const [version, value = ""] = signature.split(",");
    return version === "v1a" && verify(null, signed, key, Buffer.from(value, "base64"));
  });
}

/** The same in Python, for many requests in one run of the interpreter. */
function pythonVerified(publicKey: string, requests: ReceivedRequest[]): boolean[][] {
  const cases = requests.map(({ headers, body }) => ({ public_key: publicKey, headers, body }));
  const output = execFileSync(PYTHON, [join(import.meta.dirname, "verify_v1a.py")], {
    input: JSON.stringify(cases),
    encoding: "utf8",
  });
  return JSON.parse(output);
}

/** Both receivers' verdicts agree, and are these. */
function expectVerified(publicKey: string, requests: ReceivedRequest[], expected: boolean[]) {
  const node = requests.map((request) => nodeVerified(publicKey, request));
  expect(node).toEqual(requests.map(() => expected));
  expect(pythonVerified(publicKey, requests)).toEqual(node);
}

const tampered = (request: ReceivedRequest) => ({ ...request, body: request.body.replace("Köln", "Bonn") });

describe("an ed25519 webhook's requests, verified by receivers in Node and Python", () => {
  let service: StartedService;
  let receiver: { server: Server; port: number };
  const listener = () => endpointOf(receiver.port, "/listener");
  const printed = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(service.output())?.[1] ?? "";

  async function api(method: string, path: string, body?: unknown, token = printed("Admin token")) {
    const res = await fetch(`${service.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }

  const requestsAt = (count: number) =>
    vi.waitUntil(
      async () => {
        const got = await listener().requests();
        return got.length >= count && got;
      },
      { timeout: 20_000, interval: 100 },
    );

  let webhook: { id: string; public_key: string };

  beforeAll(async () => {
    [service, receiver] = await Promise.all([startService(), startReceiver()]);
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    receiver?.server.close();
  });

  it("verifies a delivery, a notice, a test request and a redelivery; a tampered body verifies nowhere", async () => {
    webhook = await api("POST", "/v1/webhooks", {
      name: "Listener",
      url: listener().url,
      triggers: ["user.update", "webhook.disabled"],
      signature_scheme: "ed25519",
    });
    expect(webhook.public_key).toMatch(/^whpk_/);
    const gone = endpointOf(receiver.port, "/gone");
    await gone.script({ status: 410 });
    await api("POST", "/v1/webhooks", { name: "Gone", url: gone.url, triggers: ["user.update"] });
    const change = {
      account_id: "acme",
      entity_type: "user",
      entity_id: 7,
      action_type: "update",
      result: { name: "Ada", city: "Köln" },
    };
    await api("POST", "/v1/changes", change, printed("Ingest token"));
    await requestsAt(2); // the change, and the notice that the other webhook was disabled
    const test = await api("POST", `/v1/webhooks/${webhook.id}/test`, { result: { city: "Köln" } });
    await api("POST", `/v1/webhooks/${webhook.id}/logs/${test.id}/redeliver`);
    const requests = await requestsAt(4);
    const kinds = requests.map((request) => JSON.parse(request.body).action_type);
    expect(kinds.sort()).toEqual(["disabled", "test", "test", "update"]);
    expectVerified(webhook.public_key, requests, [true]);
    expectVerified(
      webhook.public_key,
      requests.filter((request) => request.body.includes("Köln")).map(tampered),
      [false],
    );
  });

  it("verifies with the old and the new key during a rotation's overlap, the new key's signature first", async () => {
    const rotated = await api("POST", `/v1/webhooks/${webhook.id}/secret/rotate`);
    const before = (await listener().requests()).length;
    await api("POST", `/v1/webhooks/${webhook.id}/test`);
    const [request] = (await requestsAt(before + 1)).slice(before);
    expectVerified(rotated.public_key, [request as ReceivedRequest], [true, false]);
    expectVerified(webhook.public_key, [request as ReceivedRequest], [false, true]);
    webhook = { ...webhook, public_key: rotated.public_key };
  });

  it("verifies with the new HMAC secret or the Ed25519 key while a change of scheme overlaps", async () => {
    await api("PATCH", `/v1/webhooks/${webhook.id}`, { signature_scheme: "hmac-sha256" });
    const { secret } = await api("GET", `/v1/webhooks/${webhook.id}/secret`);
    const before = (await listener().requests()).length;
    await api("POST", `/v1/webhooks/${webhook.id}/test`);
    const [request] = (await requestsAt(before + 1)).slice(before) as ReceivedRequest[];
    expect(request?.headers["webhook-signature"]).toMatch(/^v1,\S+ v1a,\S+$/);
    expect(new Webhook(secret).verify(request?.body ?? "", request?.headers ?? {})).toMatchObject({
      action_type: "test",
    });
    expectVerified(webhook.public_key, [request as ReceivedRequest], [false, true]);
  });
});
