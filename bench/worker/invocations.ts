// The entry points wrapped so that each Worker request and consumer invocation is counted, with
// the queue messages it read, acked (deleted) or retried, and sees counted bindings
// (./counted-env.ts). The floor route (./floor.ts) takes the same path as the API, so that both
// carry the same counting overhead; the other /__bench routes see the plain env, uncounted.
import { countedEnv } from "./counted-env";
import { countersFor, queueOpsOf } from "./counters";
import { FLOOR_PATH, floor } from "./floor";
import { BENCH_PREFIX, benchRoutes } from "./routes";

export const ANSWERED_AT_HEADER = "x-bench-answered-at";

type FetchHandler = (
  request: Request<unknown, IncomingRequestCfProperties>,
  env: Env,
  ctx: ExecutionContext,
) => Response | Promise<Response>;
type QueueHandler = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => void | Promise<void>;

/** A context whose waitUntil work counts as in flight until it settles. */
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

async function counting<T>(label: string, run: () => T | Promise<T>): Promise<T> {
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

/** `handler` as a counted request of kind `label`, its answer stamped with when the Worker gave it. */
function countedFetch(handler: FetchHandler, label: string): FetchHandler {
  return (request, env, ctx) =>
    counting(label, async () => {
      const answer = await handler(request, countedEnv(env, label), countedContext(ctx, label));
      // For latencies measured from the 202 rather than from the request's arrival.
      const response = new Response(answer.body, answer);
      response.headers.set(ANSWERED_AT_HEADER, String(Date.now()));
      return response;
    });
}

export function benchFetch(fetch: FetchHandler): FetchHandler {
  const api = countedFetch(fetch, "fetch");
  const floorRoute = countedFetch(floor, "floor");
  return (request, env, ctx) => {
    const { pathname } = new URL(request.url);
    if (pathname === FLOOR_PATH) return floorRoute(request, env, ctx);
    if (pathname.startsWith(BENCH_PREFIX)) return benchRoutes.fetch(request, env, ctx);
    return api(request, env, ctx);
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

function countedBatch(batch: MessageBatch<unknown>, messages: Message<unknown>[]): MessageBatch<unknown> {
  return {
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
}

export function benchQueue(queue: QueueHandler): QueueHandler {
  return (batch, env, ctx) => {
    const label = `queue:${batch.queue}`;
    return counting(label, async () => {
      const messages = batch.messages.map((message) => countedMessage(message, label));
      await queue(countedBatch(batch, messages), countedEnv(env, label), countedContext(ctx, label));
    });
  };
}
