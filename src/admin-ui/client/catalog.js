// @ts-check
// The account's events catalog as the page knows it: loaded once with the webhooks (so cards can
// name their events) and added to by every search, so a chosen event keeps its name.
import { searchEvents } from "./api.js";

/** @typedef {import("./api.js").CatalogEvent} CatalogEvent */

/** @type {Map<string, CatalogEvent>} */
const known = new Map();

/** @param {CatalogEvent[]} events */
export function remember(events) {
  for (const event of events) known.set(event.id, event);
}

/** The catalog's event of that id, or undefined when the catalog lacks it. @param {string} id */
export const catalogEvent = (id) => known.get(id);

/** Loads the whole catalog, page by page. */
export async function loadCatalog() {
  let cursor = null;
  known.clear();
  do {
    const page = await searchEvents({ limit: 100, cursor });
    remember(page.data);
    cursor = page.next_cursor;
  } while (cursor);
}

/**
 * One page of a search, remembered for naming.
 * @param {string} query
 * @param {string | null} [cursor]
 */
export async function searchCatalog(query, cursor = null) {
  const page = await searchEvents({ query, limit: 20, cursor });
  remember(page.data);
  return page;
}
