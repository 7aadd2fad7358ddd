// The Worker's bindings wrapped so that every D1 round trip (with the rows it read and wrote),
// every queue message and every Durable Object call is counted. Bindings are recognised by what
// they can do, not by name, so that bindings added later are counted too. The wrappers forward to
// the real bindings; counts go to the invocation kind `label` (see ./counters.ts).
import { countersFor, queueOpsOf } from "./counters";

type D1Meta = { rows_read?: number; rows_written?: number };

const realStatements = new WeakMap<D1PreparedStatement, D1PreparedStatement>();

/** Forwards a property of a native object, bound to it. */
function forward(target: object, prop: string | symbol): unknown {
  const value: unknown = Reflect.get(target, prop, target);
  return typeof value === "function" ? value.bind(target) : value;
}

/** One D1 round trip of kind `kind` that started at `started`, with the rows of its results. */
function countD1(label: string, kind: "d1Reads" | "d1Runs" | "d1Batches", started: number, metas: D1Meta[]) {
  const counters = countersFor(label);
  counters[kind]++;
  counters.d1Ms += Date.now() - started;
  for (const meta of metas) {
    counters.d1RowsRead += meta?.rows_read ?? 0;
    counters.d1RowsWritten += meta?.rows_written ?? 0;
  }
}

/** first() and raw() return no meta; D1 runs the whole query for them anyway, so all() does the same work. */
async function readAll(target: D1PreparedStatement, label: string) {
  const started = Date.now();
  const result = await target.all<Record<string, unknown>>();
  countD1(label, "d1Reads", started, [result.meta]);
  return result.results;
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
      if (prop === "first")
        return async (column?: string) => {
          const row = (await readAll(target, label))[0] ?? null;
          return column === undefined ? row : (row?.[column] ?? null);
        };
      if (prop === "raw")
        return async (options?: { columnNames?: boolean }) => {
          const results = await readAll(target, label);
          const rows = results.map((row) => Object.values(row));
          return options?.columnNames ? [Object.keys(results[0] ?? {}), ...rows] : rows;
        };
      return forward(target, prop);
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
      return forward(target, prop);
    },
  });
}

function countSent(
  label: string,
  binding: string,
  messages: readonly { body: unknown; delaySeconds?: number }[],
  defaultDelay = 0,
): void {
  const sent = countersFor(label).sent;
  const entry = sent[binding] ?? { messages: 0, delayed: 0, writeOps: 0 };
  for (const { body, delaySeconds = defaultDelay } of messages) {
    entry.messages++;
    if (delaySeconds > 0) entry.delayed++;
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
      return forward(target, prop);
    },
  });
}

/** A stub whose every RPC call is counted (by method) and timed as its caller sees it. */
function countedStub<T extends DurableObjectStub>(stub: T, label: string): T {
  return new Proxy(stub, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function" || typeof prop !== "string" || prop === "then") return value;
      return async (...args: unknown[]) => {
        const started = Date.now();
        try {
          return await Reflect.apply(value, target, args);
        } finally {
          const counters = countersFor(label);
          counters.doCalls++;
          counters.doCallsByMethod[prop] = (counters.doCallsByMethod[prop] ?? 0) + 1;
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

const can = (value: unknown, ...methods: string[]) =>
  typeof value === "object" &&
  value !== null &&
  methods.every((method) => typeof (value as Record<string, unknown>)[method] === "function");

/** One binding, counted if it is a D1 database, a queue or a Durable Object namespace. */
function countedBinding(name: string, binding: unknown, label: string): unknown {
  // A service binding answers every method name (RPC): it is none of these.
  if (can(binding, "fetch")) return binding;
  if (can(binding, "prepare", "batch", "exec")) return countedD1(binding as D1Database, label);
  if (can(binding, "send", "sendBatch")) return countedQueue(binding as Queue, name, label);
  if (can(binding, "idFromName", "get")) return countedNamespace(binding as DurableObjectNamespace, label);
  return binding;
}

/** The env an invocation of kind `label` sees: every countable binding counted. */
export function countedEnv(env: Env, label: string): Env {
  return Object.fromEntries(
    Object.entries(env).map(([name, binding]) => [name, countedBinding(name, binding, label)]),
  ) as unknown as Env;
}
