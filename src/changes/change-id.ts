import { sha256, toBase64Url } from "../crypto/base64";
import type { ChangeMessage } from "./schemas";

/**
 * The id of a change sent without a change_id: derived from its content (occurred_at included),
 * so that a batch sent again after a 503 yields the same webhook-ids and receivers can dedupe.
 */
export async function changeIdOf(change: ChangeMessage["change"]): Promise<string> {
  return `chg_${toBase64Url((await sha256(JSON.stringify(change))).subarray(0, 18))}`;
}
