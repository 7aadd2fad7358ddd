// Who a change is, and where it stands in the order of acceptance. A receiver deduplicates on
// webhook-id, which derives from a change's identity: two pushes share it only when they carry the
// same change_id and the same content. A push without change_id is a new change every time.
import { sha256, toBase64Url } from "../crypto/base64";
import { newId } from "../ids";

/** The id answered to the origin: its own change_id, or a new one. */
export const changeIdFor = (changeId: string | undefined) => changeId ?? newId("chg");

/**
 * The identity webhook-ids derive from. With the origin's change_id it is that id and the content
 * together (a change_id reused for other content is another change); without, the new change_id.
 */
export async function identityOf(changeId: string, sentChangeId: boolean, content: string): Promise<string> {
  if (!sentChangeId) return changeId;
  return `cid_${toBase64Url((await sha256(`${changeId}\u0000${content}`)).subarray(0, 18))}`;
}
