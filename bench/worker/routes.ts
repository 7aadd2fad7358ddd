// The routes `npm run bench` drives besides the real API (and the floor, ./floor.ts). They see
// the plain env, so nothing they do is counted.
import { Hono } from "hono";
import { z } from "zod";
import { configOf } from "../../src/config";
import { sendAttempt } from "../../src/delivery/send";
import { newId } from "../../src/ids";
import { authOf, sealClientSecret, storedAuth } from "../../src/webhooks/endpoint-auth";
import { SUBSCRIBERS_SQL, subscriptionKeysParam } from "../../src/webhooks/lookups";
import { encryptSecret, newSigningSecret, secretKeysOf } from "../../src/webhooks/secrets";
import { newSigningKey, SIGNATURE_SCHEMES, shownKey } from "../../src/webhooks/signing-keys";
import { ALL_EVENTS } from "../../src/webhooks/storage";
import { ENTITY_TRIGGERS as TRIGGERS } from "../../src/webhooks/triggers";
import { resetCounters, snapshotCounters } from "./counters";

export const BENCH_PREFIX = "/__bench/";

export const benchRoutes = new Hono<{ Bindings: Env }>().basePath("/__bench");
benchRoutes.onError((error, c) => c.json({ error: String(error) }, 500));

benchRoutes.get("/counters", (c) => c.json(snapshotCounters()));
benchRoutes.post("/counters/reset", (c) => {
  resetCounters();
  return c.body(null, 204);
});

/**
 * Whether a URL names this machine by address (the parser has normalised any spelling of it):
 * the baseline's signed POSTs go nowhere else. No names: a name could resolve anywhere.
 */
export function isLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol !== "http:" && protocol !== "https:") return false;
  return hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

const BaselineIn = z.object({
  url: z.url().refine(isLoopback, "The baseline only sends to loopback addresses (127.0.0.0/8, [::1])"),
  n: z.number().int().min(1).max(10_000),
  /** Left out: CONCURRENT_SENDS, as many as the service's own deliveries may have out at once. */
  concurrency: z.number().int().min(1).max(1000).optional(),
});

/** The delivery ceiling: n signed POSTs from this one invocation, `concurrency` at a time. */
benchRoutes.post("/baseline", async (c) => {
  const parsed = BaselineIn.safeParse(await c.req.json());
  if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
  const { url, n } = parsed.data;
  const concurrency = parsed.data.concurrency ?? configOf(c.env).concurrentSends;
  const signingKeys = [{ scheme: "hmac-sha256" as const, key: newSigningSecret() }];
  const timeoutMs = configOf(c.env).deliveryTimeoutMs;
  const body = JSON.stringify({
    entity_id: "baseline",
    entity_type: "user",
    action_type: "update",
    result: {},
  });
  let next = 0;
  let ok = 0;
  const started = Date.now();
  const lane = async () => {
    while (next < n) {
      const i = next++;
      const result = await sendAttempt({
        url,
        messageId: `msg_baseline_${i}`,
        body,
        signingKeys,
        timeoutMs,
      });
      if (result.response && result.response.status < 300) ok++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  return c.json({ n, ok, concurrency, elapsed_ms: Date.now() - started });
});

const SeedIn = z.object({
  account_id: z.string().min(1),
  count: z.number().int().min(1).max(20_000),
  url: z.string().min(1),
  triggers: z
    .array(z.enum(TRIGGERS))
    .min(1)
    .default([...TRIGGERS]),
  event_ids: z.array(z.string()).default([]),
  max_per_second: z.number().int().min(1).max(1000).nullable().default(null),
  signature_scheme: z.enum(SIGNATURE_SCHEMES).default("hmac-sha256"),
  /** OAuth2 client credentials (checked by nothing here: the bench's token endpoint is on loopback). */
  auth: z
    .object({
      token_url: z.string().min(1),
      client_id: z.string().min(1),
      client_secret: z.string().min(1),
      scope: z.string().nullable().default(null),
    })
    .nullable()
    .default(null),
});

const SEED_CHUNK = 500;

/**
 * Webhooks in bulk (all alike, one signing key and client secret sealed per row), inserted with a
 * few D1 batch statements.
 */
benchRoutes.post("/webhooks", async (c) => {
  const seed = SeedIn.parse(await c.req.json());
  const now = new Date().toISOString();
  const signingKey = await newSigningKey(seed.signature_scheme);
  const keys = secretKeysOf(c.env);
  const auth = seed.auth && authOf({ type: "oauth2_client_credentials", ...seed.auth });
  const rows = await Promise.all(
    Array.from({ length: seed.count }, async (_, i) => {
      const id = newId("wh");
      const [secret, auth_secret] = await Promise.all([
        encryptSecret(signingKey.key, id, keys),
        sealClientSecret(auth, id, keys),
      ]);
      return { id, name: `bench ${i}`, secret, auth_secret };
    }),
  );
  const events = seed.event_ids.length > 0 ? seed.event_ids : [ALL_EVENTS];
  const statements: D1PreparedStatement[] = [];
  for (let start = 0; start < rows.length; start += SEED_CHUNK) {
    const chunk = rows.slice(start, start + SEED_CHUNK);
    statements.push(
      c.env.DB.prepare(
        `INSERT INTO webhooks (id, account_id, name, url, is_active, triggers, event_ids, secret,
           consecutive_failures, created_at, updated_at, max_per_second, signature_scheme, auth, auth_secret)
         SELECT value ->> 'id', ?1, value ->> 'name', ?2, 1, ?3, ?4, value ->> 'secret', 0, ?5, ?5, ?7, ?8,
           ?9, value ->> 'auth_secret'
         FROM json_each(?6)`,
      ).bind(
        seed.account_id,
        seed.url,
        JSON.stringify(seed.triggers),
        JSON.stringify(seed.event_ids),
        now,
        JSON.stringify(chunk),
        seed.max_per_second,
        seed.signature_scheme,
        storedAuth(auth),
      ),
      c.env.DB.prepare(
        `INSERT INTO webhook_subscriptions (account_id, trigger, event_id, webhook_id)
         SELECT ?1, t.value, e.value, w.value FROM json_each(?2) w, json_each(?3) t, json_each(?4) e`,
      ).bind(
        seed.account_id,
        JSON.stringify(chunk.map((row) => row.id)),
        JSON.stringify(seed.triggers),
        JSON.stringify(events),
      ),
    );
  }
  await c.env.DB.batch(statements);
  // The secret of an HMAC seed; of an Ed25519 one only its public key, as the API shows it.
  return c.json({ ids: rows.map((row) => row.id), ...shownKey(signingKey) }, 201);
});

/** How SQLite runs the fan-out query for one change of this account, trigger and event. */
benchRoutes.get("/explain", async (c) => {
  const account_id = c.req.query("account_id") ?? "acme";
  const trigger = (c.req.query("trigger") ?? "user.update") as (typeof TRIGGERS)[number];
  const event = c.req.query("event_id");
  const keys = [ALL_EVENTS, ...(event ? [event] : [])].map((event_id) => ({
    change: 0,
    account_id,
    trigger,
    event_id,
  }));
  const { results } = await c.env.DB.prepare(`EXPLAIN QUERY PLAN ${SUBSCRIBERS_SQL}`)
    .bind(subscriptionKeysParam(keys))
    .all<{ id: number; parent: number; detail: string }>();
  return c.json({
    sql: SUBSCRIBERS_SQL,
    plan: results.map(({ id, parent, detail }) => ({ id, parent, detail })),
  });
});
