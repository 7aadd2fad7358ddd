// Bench mode only: the Worker's bindings wrapped so that every D1 round trip (with the rows it
// read and wrote), every queue message and every Durable Object call is counted. The wrappers
// forward to the real bindings; counts go to the invocation kind `label` (see ./counters.ts).
import { countersFor, queueOpsOf } from "./counters";

type D1Meta = { rows_read?: number; rows_written?: number };

const realStatements = new WeakMap<D1PreparedStatement, D1PreparedStatement>();

/** One D1 round trip of kind `kind` that started at `started`, with the rows of its results. */
function countD1(label: string, kind: "d1Reads" | "d1Runs" | "d1Batches", started: number, metas: D1Meta[]) {
  const counters = countersFor(label);
  counters[kind]++;
  counters.d1Ms += Date.now() - started;
  for (const meta of metas) countMeta(label, meta);
}

function countMeta(label: string, meta: D1Meta | undefined): void {
  const counters = countersFor(label);
  counters.d1RowsRead += meta?.rows_read ?? 0;
  counters.d1RowsWritten += meta?.rows_written ?? 0;
}

function countedStatement(statement: D1PreparedStatement, label: string): D1PreparedStatement {
  const counted = new Proxy(statement, {
    get(target, prop) {
      if (prop === "bind") return (...values: unknown[]) => countedStatement(target.bind(...values), label);
      if (prop === "all" || prop === "run")
        return async () => {
          const started = Date.now();
          const result = await (prop === "all" ? target.all() : target.run());
          countD1(label, prop === "all" ? "d1Reads" : "d1Runs", started, [result.meta]);
          return result;
        };
      // first() and raw() return no meta; D1 runs the whole query for them anyway, so all() does
      // the same work and tells the rows it read.
      if (prop === "first")
        return async (column?: string) => {
          const started = Date.now();
          const result = await target.all<Record<string, unknown>>();
          countD1(label, "d1Reads", started, [result.meta]);
          const row = result.results[0] ?? null;
          return column === undefined ? row : (row?.[column] ?? null);
        };
      if (prop === "raw")
        return async (options?: { columnNames?: boolean }) => {
          const started = Date.now();
          const result = await target.all<Record<string, unknown>>();
          countD1(label, "d1Reads", started, [result.meta]);
          const rows = result.results.map((row) => Object.values(row));
          return options?.columnNames ? [Object.keys(result.results[0] ?? {}), ...rows] : rows;
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  realStatements.set(counted, statement);
  return counted;
}

export function countedD1(db: D1Database, label: string): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => countedStatement(target.prepare(sql), label);
      if (prop === "batch")
        return async (statements: D1PreparedStatement[]) => {
          const started = Date.now();
          const results = await target.batch(statements.map((s) => realStatements.get(s) ?? s));
          countD1(
            label,
            "d1Batches",
            started,
            results.map((result) => result.meta),
          );
          return results;
        };
      if (prop === "exec")
        return async (sql: string) => {
          const started = Date.now();
          const result = await target.exec(sql);
          countD1(label, "d1Runs", started, []);
          return result;
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const isGuard = (body: unknown) =>
  typeof body === "object" && body !== null && (body as { job?: { guard?: unknown } }).job?.guard === true;

function countSent(
  label: string,
  binding: string,
  messages: readonly { body: unknown; delaySeconds?: number }[],
  defaultDelay = 0,
): void {
  const sent = countersFor(label).sent;
  const entry = sent[binding] ?? { messages: 0, delayed: 0, guards: 0, writeOps: 0 };
  for (const { body, delaySeconds = defaultDelay } of messages) {
    entry.messages++;
    if (delaySeconds > 0) entry.delayed++;
    if (isGuard(body)) entry.guards++;
    entry.writeOps += queueOpsOf(body);
  }
  sent[binding] = entry;
}

export function countedQueue(queue: Queue, binding: string, label: string): Queue {
  return new Proxy(queue, {
    get(target, prop) {
      if (prop === "send")
        return async (body: unknown, options?: QueueSendOptions) => {
          const started = Date.now();
          const result = await target.send(body, options);
          countersFor(label).queueSendMs += Date.now() - started;
          countSent(label, binding, [{ body, delaySeconds: options?.delaySeconds }]);
          return result;
        };
      if (prop === "sendBatch")
        return async (messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) => {
          const list = [...messages];
          const started = Date.now();
          const result = await target.sendBatch(list, options);
          countersFor(label).queueSendMs += Date.now() - started;
          countSent(label, binding, list, options?.delaySeconds);
          return result;
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** RequestLog methods that answer the SQLite rows they wrote. */
const ROW_WRITING_METHODS = new Set(["record", "settle"]);

/** A stub whose every RPC call is counted, with the rows that row-writing methods report. */
function countedStub<T extends DurableObjectStub>(stub: T, label: string): T {
  return new Proxy(stub, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function" || typeof prop !== "string" || prop === "then") return value;
      return async (...args: unknown[]) => {
        const started = Date.now();
        try {
          const result: unknown = await Reflect.apply(value, target, args);
          if (ROW_WRITING_METHODS.has(prop) && typeof result === "number")
            countersFor(label).doRowsWritten += result;
          return result;
        } finally {
          const counters = countersFor(label);
          counters.doCalls++;
          counters.doCallMs += Date.now() - started;
        }
      };
    },
  });
}

export function countedNamespace<T extends DurableObjectNamespace>(namespace: T, label: string): T {
  return new Proxy(namespace, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "get" || prop === "getByName")
        return (...args: unknown[]) =>
          countedStub(Reflect.apply(value, target, args) as DurableObjectStub, label);
      return value.bind(target);
    },
  });
}

/** The env an invocation of kind `label` sees in bench mode. */
export function countedEnv(env: Env, label: string): Env {
  return {
    ...env,
    DB: countedD1(env.DB, label),
    CHANGES: countedQueue(env.CHANGES, "CHANGES", label),
    DELIVERIES: countedQueue(env.DELIVERIES, "DELIVERIES", label),
    DEAD_LETTERS: countedQueue(env.DEAD_LETTERS, "DEAD_LETTERS", label),
    WEBHOOK_OBJECT: countedNamespace(env.WEBHOOK_OBJECT, label),
  };
}
