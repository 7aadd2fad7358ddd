// The Worker's log lines: one JSON object a line, written here and nowhere else in src/ (Biome's
// noConsole rule holds the rest of src/ to that). `wrangler tail` shows the lines as they are;
// Workers Logs indexes every field, so a line is found by `msg` and filtered by any field.
// docs/operations.md lists every field, and every line with what to do about it.

/**
 * Every field a line may carry. A new field goes here and into docs/operations.md's field table,
 * a new line (msg) into its table of lines: test/log/lines.test.ts and test/node/log-docs.test.ts
 * fail otherwise.
 */
export const LOG_FIELDS = [
  "level",
  "msg",
  "error",
  "request_id",
  "webhook_id",
  "message_id",
  "queue",
  "count",
  "purged_failed_deliveries",
  "secrets_resealed",
  "secrets_unreadable",
  "secrets_to_reseal",
] as const;

type LogField = (typeof LOG_FIELDS)[number];

/** What a caller adds to a line: `level`, `msg` and `error` are the log functions' own. */
type LogFields = {
  [K in Exclude<LogField, "level" | "msg" | "error">]?: string | number | boolean | null;
};

type LogLevel = "info" | "warn" | "error";

const write: Record<LogLevel, (line: string) => void> = {
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

/** An error as text: an Error with its stack. */
const errorText = (error: unknown) => String(error instanceof Error ? (error.stack ?? error) : error);

function line(level: LogLevel, msg: string, fields: LogFields, error?: unknown): void {
  const record: Record<string, unknown> = { level, msg, ...fields };
  if (error !== undefined) record.error = errorText(error);
  write[level](JSON.stringify(record));
}

/** Something an operator may want to see that needs nothing done (e.g. the hourly maintenance). */
export function logInfo(msg: string, fields: LogFields = {}): void {
  line("info", msg, fields);
}

/** Something went wrong and nothing was lost (e.g. a metrics point not written). */
export function logWarn(msg: string, error: unknown, fields: LogFields = {}): void {
  line("warn", msg, fields, error);
}

/** Something failed: the line says what, `error` why (an Error with its stack), fields where. */
export function logError(msg: string, error: unknown, fields: LogFields = {}): void {
  line("error", msg, fields, error);
}
