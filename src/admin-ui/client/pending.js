// @ts-check
// What waits for a webhook, on its card (GET …/pending, oldest first): how many, the first few
// with their state in the page's words — a retry with its next attempt and last answer, one held
// behind an earlier change of its record (named as the page names a change), one waiting its
// turn, one on its way — and more on demand. Loaded with the card, so after every request the
// page makes; the card follows what its own actions started (follow.js).
import { api } from "./api.js";
import { cloneTemplate, setSlot, showRows, slot } from "./dom.js";
import { errorText } from "./errors.js";
import { formatTime, t, tn } from "./i18n.js";
import { changeName, sendErrorText } from "./show.js";

/** @typedef {import("./api.js").PendingDelivery} PendingDelivery */
/** @typedef {import("./card.js").Action} Action */
/** @typedef {{ items: PendingDelivery[], cursor: string | null, shown: number }} Listed */

/** How many the card shows at first, and how many more each "Show more" adds. */
const FIRST_SHOWN = 5;
const MORE_SHOWN = 20;
/** One request fetches this many (the API's most): enough to count what usually waits. */
const PAGE = 100;

/** What each card lists, and its latest load (an older load's answer is dropped). */
const listed = /** @type {WeakMap<HTMLElement, Listed>} */ (new WeakMap());
const loads = /** @type {WeakMap<HTMLElement, Promise<PendingDelivery[]>>} */ (new WeakMap());

/**
 * Loads what waits into the card, as many pages as it shows (one, unless the admin asked for
 * more than a page). Answers the deliveries listed.
 * @param {HTMLElement} card
 * @param {string} webhookId
 */
export function loadPending(card, webhookId) {
  const shown = listed.get(card)?.shown ?? FIRST_SHOWN;
  const load = fetchPending(webhookId, shown).then(
    (fetched) => {
      if (loads.get(card) === load) show(card, { ...fetched, shown });
      return fetched.items;
    },
    (error) => {
      if (loads.get(card) === load) setSlot(card, "pending-count", errorText(error));
      throw error;
    },
  );
  loads.set(card, load);
  return load;
}

/** The card's latest load of what waits (none yet: loads it). */
export const latestPending = (/** @type {HTMLElement} */ card, /** @type {string} */ webhookId) =>
  loads.get(card) ?? loadPending(card, webhookId);

/** @param {string} webhookId @param {number} atLeast @param {Listed} [from] */
async function fetchPending(webhookId, atLeast, from = { items: [], cursor: null, shown: 0 }) {
  const items = [...from.items];
  let cursor = from.cursor;
  do {
    const page = await api.pending(webhookId, PAGE, cursor);
    items.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && items.length < atLeast);
  return { items, cursor };
}

/** @type {Action} */
export async function showMorePending({ card, webhook }) {
  const before = listed.get(card);
  if (!before) return;
  const shown = before.shown + MORE_SHOWN;
  const fetched =
    before.items.length >= shown || !before.cursor ? before : await fetchPending(webhook.id, shown, before);
  show(card, { ...fetched, shown });
}

/** @param {HTMLElement} card @param {Listed} now */
function show(card, now) {
  listed.set(card, now);
  const { items, cursor, shown } = now;
  slot(card, "pending").hidden = items.length === 0;
  setSlot(
    card,
    "pending-count",
    cursor ? t("pendingCountMore", { n: items.length }) : tn("pendingCount", items.length),
  );
  const byMessage = new Map(items.map((item) => [item.message_id, item]));
  const first = items.slice(0, shown);
  showRows(slot(card, "pending-list"), first, () => first.map((item) => pendingRow(item, byMessage)));
  slot(card, "more-pending").hidden = shown >= items.length && !cursor;
  // Retry now is for deliveries waiting for a retry; held ones follow theirs, paced ones their pace.
  const retries = Boolean(cursor) || items.some((item) => item.state === "retry");
  slot(card, "retry-pending").hidden = !retries;
  slot(card, "retry-hint").hidden = !retries;
}

/** @param {PendingDelivery} item @param {Map<string, PendingDelivery>} byMessage */
function pendingRow(item, byMessage) {
  const row = cloneTemplate("tpl-pending-entry", item.message_id);
  row.dataset.state = item.state;
  setSlot(row, "state", t(`pendingState_${item.state}`));
  setSlot(
    row,
    "summary",
    `${changeName(item)} · ${t("pendingReceived", { time: formatTime(item.created_at) })}`,
  );
  setSlot(row, "message-id", item.message_id);
  const detail = slot(row, "detail");
  if (item.state === "held") detail.replaceChildren(...heldText(item, byMessage));
  else detail.textContent = detailText(item);
  return row;
}

/** When it goes next and, for a retry, why the last attempt failed. @param {PendingDelivery} item */
function detailText(item) {
  const { attempt, next_attempt_at: next } = item;
  if (item.state === "out") return t("pendingOut", { attempt });
  if (item.state === "paced") return t("pendingPaced", { time: formatTime(next) });
  const due = !next || Date.parse(next) <= Date.now();
  const when = due
    ? t("pendingRetryDue", { attempt })
    : t("pendingRetry", { attempt, time: formatTime(next) });
  if (item.last_status !== null) return `${when} ${t("pendingLastAnswer", { status: item.last_status })}`;
  if (item.last_error) return `${when} ${t("pendingLastError", { error: sendErrorText(item.last_error) })}`;
  return when;
}

/**
 * "Waits until an earlier change of this record …: Update · User 42, received …", or the
 * webhook-id of that change when it is not among those listed.
 * @param {PendingDelivery} item @param {Map<string, PendingDelivery>} byMessage
 */
function heldText(item, byMessage) {
  const [before, after = ""] = t("pendingHeld").split("{change}");
  const ahead = item.held_behind ? byMessage.get(item.held_behind) : undefined;
  if (ahead) {
    const name = t("pendingHeldChange", { change: changeName(ahead), time: formatTime(ahead.created_at) });
    return [`${before}${name}${after}`];
  }
  const id = document.createElement("code");
  id.translate = false;
  id.textContent = item.held_behind ?? "—";
  return [before, id, after];
}
