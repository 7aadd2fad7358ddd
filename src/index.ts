// The Worker's entry points, wired together: HTTP, the three queue consumers, the cron, and
// the request log's Durable Object class.
import { createApp } from "./app";
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

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  queue: consume,
  async scheduled(controller, env, _ctx) {
    await runMaintenance(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env, unknown>;
