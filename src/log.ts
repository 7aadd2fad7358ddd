// The Worker's error lines: one JSON object a line, which `wrangler tail` and Workers Logs show
// as they are. Extra fields (e.g. webhook_id) come before the error.
export function logError(msg: string, error: unknown, fields: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ level: "error", msg, ...fields, error: String(error) }));
}
