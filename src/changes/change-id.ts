import { sha256, toBase64Url } from "../crypto/base64";
import type { ChangeMessage } from "./schemas";

/** Changes without change_id or occurred_at count as "the same" within this window. */
export const SAME_CHANGE_WINDOW_MS = 5 * 60 * 1000;

/**
 * The id of a change sent without a change_id: derived from its content, so that a batch sent
 * again after a 503 yields the same webhook-ids and receivers can dedupe. occurred_at tells
 * identical-looking changes apart; without it, the 5-minute window of its arrival does, so that a
 * value changed back later (A → B → A) is not taken for the first change.
 */
export async function changeIdOf(change: ChangeMessage["change"], receivedAtMs: number): Promise<string> {
  const window = change.occurred_at ? "" : `|${Math.floor(receivedAtMs / SAME_CHANGE_WINDOW_MS)}`;
  return `chg_${toBase64Url((await sha256(JSON.stringify(change) + window)).subarray(0, 18))}`;
}
