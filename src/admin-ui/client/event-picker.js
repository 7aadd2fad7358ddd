// @ts-check
// The webhook form's Events field: chosen events as chips, a search of the catalog with a
// checkbox per match, "Show more" for the next page, and "Add the id" for an id the catalog lacks.
import { catalogEvent, searchCatalog } from "./catalog.js";
import { byId, cloneTemplate, setSlot, slot } from "./dom.js";
import { errorText } from "./errors.js";
import { formatTime, t } from "./i18n.js";

/** @typedef {import("./api.js").CatalogEvent} CatalogEvent */

const search = /** @type {HTMLInputElement} */ (byId("wf-event-search"));
const options = byId("wf-event-options");
const chips = byId("wf-events-chosen");
const status = byId("wf-event-status");
const addButton = byId("wf-event-add");
const moreButton = byId("wf-event-more");

/** @type {string[]} the chosen ids, in the order they were chosen */
let chosen = [];
/** @type {CatalogEvent[]} */
let results = [];
let nextCursor = /** @type {string | null} */ (null);
let searches = 0;
let typing = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);

/** The chosen event ids, for the request. */
export const chosenEvents = () => [...chosen];

/** How the page names an id: the catalog's name, else the id itself. @param {string} id */
export const eventLabel = (id) => catalogEvent(id)?.name ?? id;

/** Starts the field over with `ids` chosen and the catalog's first page listed. @param {string[]} ids */
export function resetPicker(ids) {
  chosen = [...ids];
  search.value = "";
  renderChips();
  runSearch(false);
}

function renderChips() {
  chips.replaceChildren(...chosen.map(chipFor));
  byId("wf-events-none").hidden = chosen.length > 0;
}

/** @param {string} id */
function chipFor(id) {
  const chip = cloneTemplate("tpl-event-chip", id);
  const event = catalogEvent(id);
  setSlot(chip, "label", eventLabel(id));
  setSlot(
    chip,
    "note",
    event ? (event.starts_at ? formatTime(event.starts_at) : "") : t("eventNotInCatalog"),
  );
  chip.classList.toggle("chip-unknown", !event);
  const remove = slot(chip, "remove");
  remove.dataset.id = id;
  remove.setAttribute("aria-label", t("eventRemove", { name: eventLabel(id) }));
  return chip;
}

/** @param {CatalogEvent} event */
function optionFor(event) {
  const option = cloneTemplate("tpl-event-option", event.id);
  const box = /** @type {HTMLInputElement} */ (option.querySelector("input"));
  box.value = event.id;
  box.checked = chosen.includes(event.id);
  setSlot(option, "name", event.name);
  setSlot(
    option,
    "meta",
    [event.starts_at ? formatTime(event.starts_at) : "", event.id].filter(Boolean).join(" · "),
  );
  return option;
}

/** Lists the catalog's events matching the search, or the next page of them (`more`). */
async function runSearch(/** @type {boolean} */ more) {
  const query = search.value.trim();
  const mine = ++searches;
  try {
    const page = await searchCatalog(query, more ? nextCursor : null);
    if (mine !== searches) return; // an answer to an older search
    results = more ? [...results, ...page.data] : page.data;
    nextCursor = page.next_cursor;
    if (more) options.append(...page.data.map(optionFor));
    else options.replaceChildren(...results.map(optionFor));
    status.textContent =
      results.length > 0 ? "" : t(query ? "eventsNoMatch" : "eventsCatalogEmpty", { query });
  } catch (error) {
    if (mine === searches) status.textContent = errorText(error);
  }
  updateButtons();
}

function updateButtons() {
  const query = search.value.trim();
  const addable = query !== "" && !chosen.includes(query) && !results.some((event) => event.id === query);
  addButton.hidden = !addable;
  addButton.textContent = t("eventAddId", { id: query });
  moreButton.hidden = nextCursor === null;
}

/** @param {string} id @param {boolean} on */
function choose(id, on) {
  chosen = on ? [...new Set([...chosen, id])] : chosen.filter((other) => other !== id);
  renderChips();
  for (const box of options.querySelectorAll("input")) if (box.value === id) box.checked = on;
  updateButtons();
}

function addTypedId() {
  choose(search.value.trim(), true);
  search.value = "";
  search.focus();
  runSearch(false);
}

export function wirePicker() {
  search.addEventListener("input", () => {
    clearTimeout(typing);
    updateButtons();
    typing = setTimeout(() => runSearch(false), 200);
  });
  // Enter in the search adds or picks rather than saving the form half-filled.
  search.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    if (!addButton.hidden) addTypedId();
    else if (results.length === 1 && results[0]) choose(results[0].id, !chosen.includes(results[0].id));
  });
  options.addEventListener("change", (event) => {
    const box = event.target instanceof HTMLInputElement ? event.target : null;
    if (box) choose(box.value, box.checked);
  });
  chips.addEventListener("click", (event) => {
    const remove = event.target instanceof Element ? event.target.closest("button[data-id]") : null;
    if (!(remove instanceof HTMLElement)) return;
    choose(remove.dataset.id ?? "", false);
    search.focus();
  });
  addButton.addEventListener("click", addTypedId);
  moreButton.addEventListener("click", () => runSearch(true));
}
