// Every line the Worker writes during a run — admin and ingest requests, deliveries that fail and
// are retried, platform services that fail, the hourly maintenance — is one JSON object, written
// at its level, whose fields and `msg` docs/operations.md documents.
import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, expect, it, vi } from "vitest";
import operations from "../../docs/operations.md?raw";
import worker from "../../src/index";
import { recordAttempt } from "../../src/metrics/attempts";
import { call, createWebhook, ingest, newCaller } from "../helpers";
import { captureQueue, changeMessage, QUEUES, runBatch, spyReceiver, wake } from "../queue-helpers";
import { documentedLogFields, documentedLogLines } from "./documented";

afterEach(() => {
  vi.restoreAllMocks();
});

const METHODS = ["log", "info", "warn", "error", "debug"] as const;
type Method = (typeof METHODS)[number];

/** Every console call of the run, as the method and its arguments. */
function captureConsole(): { method: Method; args: unknown[] }[] {
  const calls: { method: Method; args: unknown[] }[] = [];
  for (const method of METHODS) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      calls.push({ method, args });
    });
  }
  return calls;
}

/** Calls `run` while `restore` is in force: a platform service that fails for a moment. */
async function whileFailing(restore: () => void, run: () => Promise<unknown>) {
  try {
    await run();
  } finally {
    restore();
  }
}

const unavailable = (what: string) => () => {
  throw new Error(`${what} unavailable`);
};

async function aRun() {
  const caller = await newCaller();
  const as = { token: caller.token };
  const webhook = await createWebhook(caller, { url: "https://crm.example.com/in" });
  await call("GET", "/v1/webhooks", as);
  await call("POST", "/v1/webhooks", { ...as, json: { url: "ftp://nope" } }); // a 400: no line
  captureQueue(env.CHANGES);
  expect(
    (
      await ingest({
        account_id: caller.account,
        entity_type: "user",
        entity_id: 1,
        action_type: "update",
        result: {},
      })
    ).status,
  ).toBe(202);

  // Deliveries: a 500 (retried), then the retry delivered.
  spyReceiver((_, n) => new Response(n === 1 ? "down" : "ok", { status: n === 1 ? 500 : 200 }));
  await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]);
  await wake(webhook.id);

  // A consumer that meets an unreadable message, and one whose D1 fails.
  captureQueue(env.DEAD_LETTERS);
  await runBatch(QUEUES.changes, [{ not: "a change" }]);
  const d1 = vi.spyOn(env.DB, "prepare").mockImplementation(unavailable("D1"));
  await whileFailing(
    () => d1.mockRestore(),
    async () => {
      await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]);
      await call("GET", "/v1/webhooks", as); // a 500 that names its request id
      await worker.scheduled(createScheduledController(), env, createExecutionContext()).catch(() => {});
    },
  );

  // A webhook's object that refuses its deliveries.
  const getByName = env.WEBHOOK_OBJECT.getByName.bind(env.WEBHOOK_OBJECT);
  const objects = vi.spyOn(env.WEBHOOK_OBJECT, "getByName").mockImplementation((name) => {
    const stub = getByName(name);
    return new Proxy(stub, {
      get: (target, prop) => (prop === "begin" ? unavailable("object") : Reflect.get(target, prop)),
    });
  });
  await whileFailing(
    () => objects.mockRestore(),
    () => runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]),
  );

  // Ingest while the rate limiter fails (let through), then while the queue refuses (503).
  const limiter = vi.spyOn(env.INGEST_LIMITER, "limit").mockImplementation(unavailable("limiter"));
  await whileFailing(
    () => limiter.mockRestore(),
    () =>
      ingest({
        account_id: caller.account,
        entity_type: "user",
        entity_id: 2,
        action_type: "update",
        result: {},
      }),
  );
  vi.spyOn(env.CHANGES, "sendBatch").mockImplementation(unavailable("queue"));
  await ingest({
    account_id: caller.account,
    entity_type: "user",
    entity_id: 3,
    action_type: "update",
    result: {},
  });

  // The hourly maintenance, and a metrics binding that fails.
  await worker.scheduled(createScheduledController(), env, createExecutionContext());
  recordAttempt(
    { METRICS: { writeDataPoint: unavailable("analytics engine") } },
    {
      accountId: caller.account,
      webhookId: webhook.id,
      outcome: "delivered",
      status: 200,
      error: null,
      durationMs: 1,
      attempt: 1,
    },
  );
}

const METHOD_OF_LEVEL: Record<string, Method> = { info: "log", warn: "warn", error: "error" };

it("writes every line as one JSON object with documented fields, at its level", async () => {
  const calls = captureConsole();
  await aRun();
  vi.restoreAllMocks();

  const fields = documentedLogFields(operations);
  const lines = documentedLogLines(operations);
  const written = calls.map(({ method, args }) => {
    expect(args, `console.${method} with more than one argument`).toHaveLength(1);
    const [text] = args;
    expect(typeof text, `console.${method}(${String(text)})`).toBe("string");
    let parsed: unknown;
    expect(
      () => {
        parsed = JSON.parse(String(text));
      },
      `not JSON: ${String(text)}`,
    ).not.toThrow();
    expect(parsed, String(text)).toBeTypeOf("object");
    const record = parsed as Record<string, unknown>;
    for (const key of Object.keys(record)) expect(fields, `${key}, in ${String(text)}`).toContain(key);
    expect(lines, `msg of ${String(text)}`).toContain(record.msg);
    expect(method, String(text)).toBe(METHOD_OF_LEVEL[String(record.level)]);
    return record;
  });

  // The run met every kind of line it set out to (a run that logs nothing proves nothing).
  expect(new Set(written.map((line) => line.msg))).toEqual(
    new Set([
      "unreadable queue messages set aside",
      "consumer batch failed; retrying",
      "request failed on our side; answered 500",
      "maintenance",
      "a webhook's deliveries could not be started or settled; its changes come again",
      "rate limiter failed; request let through",
      "queue sendBatch failed",
      "metrics point not written; deliveries go on",
    ]),
  );
  const failedRequest = written.find((line) => line.msg === "request failed on our side; answered 500");
  expect(failedRequest?.request_id).toEqual(expect.any(String));
  expect(written.filter((line) => line.msg === "maintenance").map((line) => line.level)).toEqual([
    "error",
    "info",
  ]);
});
