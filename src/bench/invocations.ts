// Bench mode only: the entry points wrapped so that each Worker request and consumer invocation
// is counted, with the queue messages it read, acked (deleted) or retried, and sees counted
// bindings (./counted-env.ts). /__bench/* is answered by the bench routes with the plain env.
import { countedEnv } from "./counted-env";
import { countersFor, queueOpsOf } from "./counters";
import { benchRoutes } from "./routes";

export const BENCH_PREFIX = "/__bench/";
export const ANSWERED_AT_HEADER = "x-bench-answered-at";

type FetchHandler = (request: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;
type QueueHandler = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;

/** A context whose waitUntil work counts as in flight until it settles (the slow lane runs there). */
function countedContext(ctx: ExecutionContext, label: string): ExecutionContext {
  return new Proxy(ctx, {
    get(target, prop) {
      if (prop === "waitUntil")
        return (promise: Promise<unknown>) => {
          countersFor(label).inFlight++;
          target.waitUntil(promise.finally(() => countersFor(label).inFlight--));
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function counting<T>(label: string, run: () => Promise<T>): Promise<T> {
  const counters = countersFor(label);
  counters.invocations++;
  counters.inFlight++;
  const started = Date.now();
  try {
    return await run();
  } finally {
    // Looked up again: the counters may have been reset meanwhile.
    const after = countersFor(label);
    after.inFlight--;
    after.wallMs += Date.now() - started;
  }
}

export function benchFetch(app: { fetch: FetchHandler }): FetchHandler {
  return (request, env, ctx) => {
    if (new URL(request.url).pathname.startsWith(BENCH_PREFIX)) return benchRoutes.fetch(request, env, ctx);
    return counting("fetch", async () => {
      const answer = await app.fetch(request, countedEnv(env, "fetch"), countedContext(ctx, "fetch"));
      // When the Worker answered, for latencies measured from the 202 rather than from its arrival.
      const response = new Response(answer.body, answer);
      response.headers.set(ANSWERED_AT_HEADER, String(Date.now()));
      return response;
    });
  };
}

function countedMessage(message: Message<unknown>, label: string): Message<unknown> {
  let ops: number | undefined;
  const opsOf = () => {
    ops ??= queueOpsOf(message.body);
    return ops;
  };
  const counters = countersFor(label);
  counters.messagesReceived++;
  counters.readOps += opsOf();
  counters.queueWaitMs += Math.max(0, Date.now() - message.timestamp.getTime());
  return new Proxy(message, {
    get(target, prop) {
      if (prop === "ack")
        return () => {
          target.ack();
          countersFor(label).messagesAcked++;
          countersFor(label).deleteOps += opsOf();
        };
      if (prop === "retry")
        return (options?: QueueRetryOptions) => {
          target.retry(options);
          countersFor(label).messagesRetried++;
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export function benchQueue(consume: QueueHandler): QueueHandler {
  return (batch, env, ctx) => {
    const label = `queue:${batch.queue}`;
    return counting(label, () => {
      const messages = batch.messages.map((message) => countedMessage(message, label));
      const counted: MessageBatch<unknown> = {
        queue: batch.queue,
        metadata: batch.metadata,
        messages,
        ackAll: () => {
          for (const message of messages) message.ack();
        },
        retryAll: (options) => {
          for (const message of messages) message.retry(options);
        },
      };
      return consume(counted, countedEnv(env, label), countedContext(ctx, label));
    });
  };
}
