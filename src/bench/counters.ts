// Bench mode only: what the Worker asked of the platform, counted per kind of invocation
// ("fetch", or "queue:<queue name>"), so that the benchmark can price work it has counted
// instead of work it has estimated. Lives in the isolate's memory; read and reset over /__bench.

/** Queue billing: every started 64 KB of a message written, read or deleted is one operation. */
export const QUEUE_OP_BYTES = 64 * 1024;

export interface QueueSent {
  messages: number;
  /** Messages sent with a delay (retries, slow-lane guards): they come back later. */
  delayed: number;
  /** Slow-lane guards among them: one per attempt handed off (src/delivery/slow-lane.ts). */
  guards: number;
  /** Write operations: one per started 64 KB of each message. */
  writeOps: number;
}

export interface InvocationCounters {
  /** Worker requests (fetch) or consumer invocations (queue). */
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
  /** Durable Object RPC calls, their wall time (ms) and the SQLite rows they report writing. */
  doCalls: number;
  doCallMs: number;
  doRowsWritten: number;
  /** Messages sent per queue binding (CHANGES, DELIVERIES, DEAD_LETTERS). */
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
  doCallMs: 0,
  doRowsWritten: 0,
  sent: {},
});

let counters = new Map<string, InvocationCounters>();

/** The live counters of one kind of invocation. */
export function countersFor(label: string): InvocationCounters {
  let entry = counters.get(label);
  if (!entry) {
    entry = emptyCounters();
    counters.set(label, entry);
  }
  return entry;
}

export function snapshotCounters(): CounterSnapshot {
  return Object.fromEntries([...counters].map(([label, entry]) => [label, structuredClone(entry)]));
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
