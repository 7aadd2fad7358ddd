import type { AttemptResult } from "../delivery/send";
import { newId } from "../ids";
import type { Payload } from "../messages/payload";
import { maskCustomHeaders } from "../webhooks/custom-headers";
import type { LogEntry } from "./schemas";

export interface LoggedRequest {
  kind: LogEntry["kind"];
  messageId: string;
  payload: Payload;
  attempt: number;
}

/** The log entry of one attempt. */
export function logEntryOf(what: LoggedRequest, result: AttemptResult, success: boolean): LogEntry {
  return {
    id: newId("log"),
    message_id: what.messageId,
    created_at: result.startedAt,
    kind: what.kind,
    action_type: what.payload.action_type,
    entity_type: what.payload.entity_type,
    entity_id: what.payload.entity_id,
    attempt: what.attempt,
    request: { ...result.request, headers: maskCustomHeaders(result.request.headers) },
    response: result.response,
    error: result.error,
    duration_ms: result.durationMs,
    success,
  };
}
