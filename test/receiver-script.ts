// What the fake receiver (test/node/receiver.ts) can be told to answer, and what it records.
// Shared by the receiver (Node) and its clients inside workerd (e2e and fault tests).

export interface ScriptedAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delay_ms?: number;
  /** Never answer; the connection stays open until the client gives up. */
  hang?: boolean;
  /** Reset the connection (TCP RST) instead of answering. */
  reset?: boolean;
  /** Send the status and headers at once, then the body a chunk at a time (slow-loris). */
  trickle?: { chunk: string; every_ms: number; chunks: number };
  /** Stream a body of this many bytes, as fast as the client reads it. */
  body_bytes?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
  /** The status it was answered with (none for a hang or reset). */
  status?: number;
  /** When the answer was complete. */
  answered_at?: number;
  /** Body bytes written to the client before it went away or the answer ended. */
  bytes_sent?: number;
  /** When the client went away before the answer was complete. */
  client_gone_at?: number;
}

export interface FaultCountsReport {
  injected: number;
  recovered: number;
  recorded: number;
  lost: number;
}
