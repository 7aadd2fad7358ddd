// A Durable Object class counted from the inside: the same class, handed a storage whose SQL
// cursors report the rows they read and wrote (what SQLite-backed objects are billed for), whose
// key-value calls count a row per key (that API keeps one row per key in a hidden table) and whose
// alarms are tracked, so that the benchmark knows when scheduled work is still due. Nothing in the
// class changes: its methods answer what they always answer.
import { countersFor, noteAlarm } from "./counters";

/** Counts the rows a cursor has read and written since it was last looked at. */
function rowTally(cursor: SqlStorageCursor<Record<string, SqlStorageValue>>, label: string) {
  let read = 0;
  let written = 0;
  return () => {
    const counters = countersFor(label);
    counters.doRowsRead += cursor.rowsRead - read;
    counters.doRowsWritten += cursor.rowsWritten - written;
    read = cursor.rowsRead;
    written = cursor.rowsWritten;
  };
}

/** A cursor (or the iterator raw() answers) whose every step is tallied. */
function tallied<T extends object>(iterator: T, tally: () => void): T {
  const proxy: T = new Proxy(iterator, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result: unknown = Reflect.apply(value, target, args);
        tally();
        if (result === target) return proxy; // [Symbol.iterator]() answers the cursor itself
        if (prop === "raw") return tallied(result as object, tally);
        return result;
      };
    },
  });
  return proxy;
}

function countedCursor(cursor: SqlStorageCursor<Record<string, SqlStorageValue>>, label: string) {
  const tally = rowTally(cursor, label);
  tally(); // a statement runs up to its first row when executed: a write is done by now
  return tallied(cursor, tally);
}

function countedSql(sql: SqlStorage, label: string): SqlStorage {
  return new Proxy(sql, {
    get(target, prop) {
      if (prop === "exec")
        return (query: string, ...bindings: unknown[]) =>
          countedCursor(target.exec(query, ...bindings), label);
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const keysIn = (keys: unknown) => (Array.isArray(keys) ? keys.length : 1);
const sizeOf = (result: unknown) =>
  result instanceof Map ? result.size : result === undefined || result === null ? 0 : 1;

/** Key-value calls (async on the storage, sync on storage.kv): one row read or written per key. */
function countedKv<T extends object>(kv: T, label: string): T {
  return new Proxy(kv, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      const count = (result: unknown, args: unknown[]) => {
        const counters = countersFor(label);
        if (prop === "get") counters.doRowsRead += sizeOf(result);
        if (prop === "list") counters.doRowsRead += result instanceof Map ? result.size : 0;
        if (prop === "put") counters.doRowsWritten += typeof args[0] === "string" ? 1 : keysIn(args[0]);
        if (prop === "delete") counters.doRowsWritten += keysIn(args[0]);
        return result;
      };
      return (...args: unknown[]) => {
        const result: unknown = Reflect.apply(value, target, args);
        return result instanceof Promise
          ? result.then((settled) => count(settled, args))
          : count(result, args);
      };
    },
  });
}

function countedStorage(storage: DurableObjectStorage, label: string, objectId: string) {
  const sql = countedSql(storage.sql, label);
  const kv = "kv" in storage ? countedKv(storage.kv as object, label) : undefined;
  const counted = countedKv(storage, label);
  return new Proxy(storage, {
    get(target, prop) {
      if (prop === "sql") return sql;
      if (prop === "kv") return kv;
      if (prop === "setAlarm")
        return async (time: number | Date, options?: DurableObjectSetAlarmOptions) => {
          await target.setAlarm(time, options);
          countersFor(label).alarmsSet++;
          noteAlarm(label, objectId, Number(time instanceof Date ? time.getTime() : time));
        };
      if (prop === "deleteAlarm")
        return async (options?: DurableObjectSetAlarmOptions) => {
          await target.deleteAlarm(options);
          noteAlarm(label, objectId, null);
        };
      return Reflect.get(counted, prop, counted);
    },
  });
}

/**
 * The object's own state with a counted storage in front: the runtime accepts only a real state
 * in the constructor, so the storage is replaced on that very object (JavaScript sees the
 * replacement; the runtime keeps using the real storage underneath).
 */
function countingState(ctx: DurableObjectState, label: string): DurableObjectState {
  const storage = countedStorage(ctx.storage, label, ctx.id.toString());
  Object.defineProperty(ctx, "storage", { value: storage, configurable: true });
  return ctx;
}

// biome-ignore lint/suspicious/noExplicitAny: a mixin's base must take any constructor arguments
type ObjectClass = new (...args: any[]) => { alarm?(info?: AlarmInvocationInfo): void | Promise<void> };

/** `Base` counted: export it under the binding's class name in place of the original. */
export function countedObject<T extends ObjectClass>(Base: T): T {
  const label = `object:${Base.name}`;
  return class extends Base {
    // biome-ignore lint/suspicious/noExplicitAny: forwarded to Base as they came
    constructor(...args: any[]) {
      const [ctx, env] = args as [DurableObjectState, Env];
      super(countingState(ctx, label), env);
      this.#id = ctx.id.toString();
    }
    readonly #id: string;

    /** An alarm invocation: billed as a request, and no longer pending once it runs. */
    override async alarm(info?: AlarmInvocationInfo): Promise<void> {
      const counters = countersFor(label);
      counters.invocations++;
      counters.inFlight++;
      noteAlarm(label, this.#id, null);
      const started = Date.now();
      try {
        await super.alarm?.(info);
      } catch (error) {
        noteAlarm(label, this.#id, Date.now() + 2000); // the runtime retries a failed alarm
        throw error;
      } finally {
        const after = countersFor(label);
        after.inFlight--;
        after.wallMs += Date.now() - started;
      }
    }
  };
}
