// The Worker's entry points, wired together: HTTP, the three queue consumers, the cron, and
// the request log's Durable Object class.
import { createApp } from "./app";
import { benchFetch, benchQueue } from "./bench/invocations";
import { consumeDeliveries } from "./delivery/consumer";
import { consumeDeadLetters } from "./failed/dead-letters";
import { consumeChanges } from "./fan-out/consumer";
import { runMaintenance } from "./maintenance";

export { WebhookObject } from "./delivery/webhook-object";

const app = createApp();

/** Consumers by queue name suffix, so that renamed queues (e.g. per environment) still route. */
const consumers: [
  string,
  (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>,
][] = [
  ["-changes", consumeChanges],
  ["-deliveries", consumeDeliveries],
  ["-dead-letters", consumeDeadLetters],
];

async function consume(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  const consumer = consumers.find(([suffix]) => batch.queue.endsWith(suffix))?.[1];
  if (!consumer) throw new Error(`No consumer for queue ${batch.queue}`);
  await consumer(batch, env, ctx);
}

// `npm run bench` runs the Worker with BENCH_MODE=true: requests and consumer invocations are
// counted, bindings wrapped to count their work, and /__bench/* exists. Never set in production.
const bench = { fetch: benchFetch(app), queue: benchQueue(consume) };
const isBench = (env: Env) => env.BENCH_MODE === "true";

export default {
  fetch: (request, env, ctx) => (isBench(env) ? bench.fetch : app.fetch)(request, env, ctx),
  queue: (batch, env, ctx) => (isBench(env) ? bench.queue : consume)(batch, env, ctx),
  async scheduled(controller, env, _ctx) {
    await runMaintenance(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env, unknown>;
