// What to do after an attempt, and when to try again. Pure: results, config, clock and
// randomness in; decisions out.
import type { Config } from "../config";

const JITTER = 0.2;

interface AttemptSummary {
  status: number | null;
  error: string | null;
}

export type Verdict = { kind: "success" } | { kind: "gone" } | { kind: "retry"; overloaded: boolean };

export function classify(attempt: AttemptSummary): Verdict {
  const { status } = attempt;
  if (status !== null && status >= 200 && status < 300 && !attempt.error) return { kind: "success" };
  if (status === 410) return { kind: "gone" };
  // Everything else may heal: 3xx (never followed), 4xx, 5xx, timeouts, network errors.
  return { kind: "retry", overloaded: status === 429 || attempt.error === "timeout" };
}

/** Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or null if unusable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!/[a-z]/i.test(trimmed)) return null; // "-5", "1e9" and other numbers that are not delta-seconds
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, (date - nowMs) / 1000);
}

/**
 * Seconds to wait before the attempt after `attemptsMade`, or null when the schedule is spent.
 * W is the scheduled wait with ±20 % jitter, raised to the overload floor after a timeout or
 * a 429; a Retry-After is honoured within [W, 2W].
 */
export function retryDelay(
  attemptsMade: number,
  verdict: { overloaded: boolean },
  retryAfter: string | null,
  config: Pick<Config, "retryDelaysS" | "overloadFloorS">,
  random: () => number,
  nowMs: number,
): number | null {
  const scheduled = config.retryDelaysS[attemptsMade - 1];
  if (scheduled === undefined) return null;
  let wait = scheduled * (1 + (random() * 2 - 1) * JITTER);
  if (verdict.overloaded) wait = Math.max(wait, config.overloadFloorS);
  const asked = parseRetryAfter(retryAfter, nowMs);
  if (asked !== null) wait = Math.min(Math.max(asked, wait), 2 * wait);
  return Math.max(0, Math.round(wait));
}
