// The ingest body, one change or { changes: [...] }, validated in one synchronous pass: what a
// union of both schemas accepts, with every problem of a refused body (a batch's under
// changes.<index>.), and the size of each change as JSON counted without serialising it twice.
import { type FieldError, fieldErrors } from "../http/problem";
import { utf8Length } from "../http/utf8-json";
import { ChangeBatchShape, ChangeIn, MAX_CHANGE_BYTES } from "./schemas";

export type IngestBody =
  | { ok: true; changes: ChangeIn[]; batch: boolean; added: number[] }
  | { ok: false; errors: FieldError[] };

/**
 * The bytes validation added to a change's JSON beyond what was sent: `,"event_ids":[]` when it
 * was left out, and the quotes around each event id sent as a number. Its size is what was sent.
 */
function addedBytes(raw: unknown): number {
  const ids = isObject(raw) ? raw.event_ids : undefined;
  if (ids === undefined) return ',"event_ids":[]'.length;
  return Array.isArray(ids) ? 2 * ids.filter((id) => typeof id === "number").length : 0;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A body with a `changes` key can only be a batch (a change is a strict object without one). */
export function parseIngestBody(raw: unknown): IngestBody {
  if (!isObject(raw) || !("changes" in raw)) {
    const single = ChangeIn.safeParse(raw);
    return single.success
      ? { ok: true, changes: [single.data], batch: false, added: [addedBytes(raw)] }
      : { ok: false, errors: fieldErrors(single.error.issues) };
  }
  const batch = ChangeBatchShape.safeParse(raw);
  if (!batch.success) return { ok: false, errors: fieldErrors(batch.error.issues) };
  const changes: ChangeIn[] = [];
  const errors: FieldError[] = [];
  batch.data.changes.forEach((change, index) => {
    const parsed = ChangeIn.safeParse(change);
    if (parsed.success) changes.push(parsed.data);
    else errors.push(...fieldErrors(parsed.error.issues, ["changes", index]));
  });
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, changes, batch: true, added: batch.data.changes.map(addedBytes) };
}

/** A validated change apart from its change_id, and its JSON (what its size is counted on). */
export interface ChangeContent {
  sent: string | undefined;
  change: Omit<ChangeIn, "change_id">;
  content: string;
}

export const contentOf = ({ change_id: sent, ...change }: ChangeIn): ChangeContent => ({
  sent,
  change,
  content: JSON.stringify(change),
});

/**
 * The UTF-8 bytes of the change as JSON, as it was sent: its content with `,"change_id":…` added
 * (a change always has other fields, so that is exactly one comma more) and without the `added`
 * bytes validation put in, counted up to just over the limit.
 */
export function changeBytes({ sent, content }: ChangeContent, added = 0): number {
  const bytes = utf8Length(content, MAX_CHANGE_BYTES + added) - added;
  return sent === undefined
    ? bytes
    : bytes + utf8Length(`,"change_id":${JSON.stringify(sent)}`, MAX_CHANGE_BYTES);
}
