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
 * The content is compared as JSON values: the same object with its keys in another order (an
 * origin that serialises a map afresh for its resend) is the same content.
 */
export async function identityOf(changeId: string, sentChangeId: boolean, change: unknown): Promise<string> {
  if (!sentChangeId) return changeId;
  return `cid_${toBase64Url((await sha256(`${changeId}\u0000${canonicalJson(change)}`)).subarray(0, 18))}`;
}

/** JSON with every object's keys in sorted order, so that equal values give equal text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return item;
    const record = item as Record<string, unknown>;
    // fromEntries defines each key as its own property, "__proto__" too.
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, record[key]]),
    );
  });
}
