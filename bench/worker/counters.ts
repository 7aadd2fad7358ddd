// What the Worker asked of the platform, counted per kind of invocation ("fetch", "queue:<queue
// name>", or "object:<class>" for the work Durable Objects do in their own storage), so that the
// benchmark prices work it has counted instead of work it has estimated. Lives in the isolate's
// memory (the Worker and its objects share it locally); read and reset over /__bench/counters.

/** Queue billing: every started 64 KB of a message written, read or deleted is one operation. */
export const QUEUE_OP_BYTES = 64 * 1024;

export interface QueueSent {
  messages: number;
  /** Messages sent with a delay: they come back later (retries, anything scheduled). */
  delayed: number;
  /** Write operations: one per started 64 KB of each message. */
  writeOps: number;
}

export interface InvocationCounters {
  /** Worker requests (fetch), consumer invocations (queue) or alarm invocations (object). */
  invocations: number;
  /** Invocations and their waitUntil work still running, so that the benchmark knows when the pipeline is idle. */
  inFlight: number;
  /** Wall time of the invocations (ms), summed. */
  wallMs: number;
  /** Queue messages handed to this consumer, and their read operations. */
  messagesReceived: number;
  readOps: number;
  /** How long the received messages waited on the queue (sent → consumer invocation), summed (ms). */
  queueWaitMs: number;
  /** Messages acked (deleted from the queue) and their delete operations. */
  messagesAcked: number;
  deleteOps: number;
  messagesRetried: number;
  /** D1 round trips: each .all/.first/.raw/.run (reads vs runs) and each db.batch(). */
  d1Reads: number;
  d1Runs: number;
  d1Batches: number;
  d1RowsRead: number;
  d1RowsWritten: number;
  /** Wall time of the D1 round trips and of the queue sends (ms), summed. */
  d1Ms: number;
  queueSendMs: number;
  /** Durable Object RPC calls made by this invocation kind, by method, and their wall time (ms). */
  doCalls: number;
  doCallsByMethod: Record<string, number>;
  doCallMs: number;
  /** Counted inside the objects: SQLite rows their storage read and wrote (SQL and key-value API). */
  doRowsRead: number;
  doRowsWritten: number;
  /** Alarms the objects scheduled, and how many are set now, the next one at (epoch ms). */
  alarmsSet: number;
  alarmsPending: number;
  nextAlarmAt: number | null;
  /** Messages sent per queue binding (e.g. CHANGES). */
  sent: Record<string, QueueSent>;
}

export type CounterSnapshot = Record<string, InvocationCounters>;

const emptyCounters = (): InvocationCounters => ({
  invocations: 0,
  inFlight: 0,
  wallMs: 0,
  messagesReceived: 0,
  readOps: 0,
  queueWaitMs: 0,
  messagesAcked: 0,
  deleteOps: 0,
  messagesRetried: 0,
  d1Reads: 0,
  d1Runs: 0,
  d1Batches: 0,
  d1RowsRead: 0,
  d1RowsWritten: 0,
  d1Ms: 0,
  queueSendMs: 0,
  doCalls: 0,
  doCallsByMethod: {},
  doCallMs: 0,
  doRowsRead: 0,
  doRowsWritten: 0,
  alarmsSet: 0,
  alarmsPending: 0,
  nextAlarmAt: null,
  sent: {},
});

let counters = new Map<string, InvocationCounters>();

/** When each object's alarm is due, by label and object id: state, not counts, so never reset. */
const alarms = new Map<string, Map<string, number>>();

/** The live counters of one kind of invocation. */
export function countersFor(label: string): InvocationCounters {
  let entry = counters.get(label);
  if (!entry) {
    entry = emptyCounters();
    counters.set(label, entry);
  }
  return entry;
}

/** Notes the alarm an object has set (a time) or deleted (null). */
export function noteAlarm(label: string, objectId: string, at: number | null): void {
  const due = alarms.get(label) ?? new Map<string, number>();
  if (at === null) due.delete(objectId);
  else due.set(objectId, at);
  alarms.set(label, due);
  countersFor(label);
}

export function snapshotCounters(): CounterSnapshot {
  for (const label of alarms.keys()) countersFor(label);
  const snapshot: CounterSnapshot = {};
  for (const [label, entry] of counters) {
    const due = [...(alarms.get(label)?.values() ?? [])];
    snapshot[label] = {
      ...structuredClone(entry),
      alarmsPending: due.length,
      nextAlarmAt: due.length > 0 ? Math.min(...due) : null,
    };
  }
  return snapshot;
}

/** Starts counting afresh; invocations still running keep their in-flight mark. */
export function resetCounters(): void {
  const running = [...counters].filter(([, entry]) => entry.inFlight > 0);
  counters = new Map();
  for (const [label, entry] of running) countersFor(label).inFlight = entry.inFlight;
}

/** Operations a message of this body costs per write, read or delete. */
export function queueOpsOf(body: unknown): number {
  const bytes = new TextEncoder().encode(JSON.stringify(body) ?? "").byteLength;
  return Math.max(1, Math.ceil(bytes / QUEUE_OP_BYTES));
}
