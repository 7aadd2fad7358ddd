// The Worker's error lines: one JSON object a line, which `wrangler tail` and Workers Logs show
// as they are. Extra fields (e.g. webhook_id) come before the error, an Error with its stack.
export function logError(msg: string, error: unknown, fields: Record<string, unknown> = {}): void {
  const text = String(error instanceof Error ? (error.stack ?? error) : error);
  console.error(JSON.stringify({ level: "error", msg, ...fields, error: text }));
}
