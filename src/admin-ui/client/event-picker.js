// @ts-check
// The webhook form's Events field: chosen events as chips, a search of the catalog (a combobox)
// over a listbox of matches, "Show more" for the next page, and "Add the id" for an id the catalog
// lacks. Focus stays in the search: ArrowDown/ArrowUp move the active option
// (aria-activedescendant), Enter picks it, or the first match when none is active. Typed text
// becomes an id only through "Add the id", never by Enter, and only text that could be an id.
import { catalogEvent, searchCatalog } from "./catalog.js";
import { byId, cloneTemplate, setSlot, slot } from "./dom.js";
import { errorText } from "./errors.js";
import { formatEventTime, t } from "./i18n.js";

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
let optionCount = 0;
/** @type {string} the query `results` answer */
let resultsQuery = "";
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
    event ? (event.starts_at ? formatEventTime(event.starts_at) : "") : t("eventNotInCatalog"),
  );
  chip.classList.toggle("chip-unknown", !event);
  const remove = slot(chip, "remove");
  remove.dataset.id = id;
  remove.setAttribute("aria-label", t("eventRemove", { name: eventLabel(id) }));
  return chip;
}

/** @param {CatalogEvent} event */
function optionFor(event) {
  const option = cloneTemplate("tpl-event-option", String(++optionCount));
  option.dataset.id = event.id;
  option.setAttribute("aria-selected", String(chosen.includes(event.id)));
  setSlot(option, "name", event.name);
  setSlot(
    option,
    "meta",
    [event.starts_at ? formatEventTime(event.starts_at) : "", event.id].filter(Boolean).join(" · "),
  );
  return option;
}

/** Lists the catalog's events matching the search, or the next page of them (`more`). */
function runSearch(/** @type {boolean} */ more) {
  clearTimeout(typing);
  return listMatches(more);
}

async function listMatches(/** @type {boolean} */ more) {
  const query = search.value.trim();
  const mine = ++searches;
  try {
    const page = await searchCatalog(query, more ? nextCursor : null);
    if (mine !== searches) return; // an answer to an older search
    results = more ? [...results, ...page.data] : page.data;
    resultsQuery = query;
    nextCursor = page.next_cursor;
    if (more) options.append(...page.data.map(optionFor));
    else {
      options.replaceChildren(...results.map(optionFor));
      setActive(null);
    }
    search.setAttribute("aria-expanded", String(results.length > 0));
    if (!more && document.activeElement === search) showMatches();
    status.textContent =
      results.length > 0 ? "" : t(query ? "eventsNoMatch" : "eventsCatalogEmpty", { query });
    // Nothing matches a text that cannot be an id: say what can be added instead.
    if (query && results.length === 0 && !couldBeEventId(query)) status.textContent += ` ${t("eventIdRule")}`;
  } catch (error) {
    if (mine === searches) status.textContent = errorText(error);
  }
  updateButtons();
}

/**
 * Whether typed text could be an event id rather than part of a name: no spaces, and a digit or
 * one of _ - . : in it ("ev_2026_fair", "4711"; not "m", not "gala").
 * @param {string} text
 */
const couldBeEventId = (text) => !/\s/.test(text) && /[\d_.:-]/.test(text);

/** The field sits low in a tall dialog: the matches the admin is searching come into view. */
function showMatches() {
  if (results.length > 0) options.scrollIntoView({ block: "nearest" });
}

function updateButtons() {
  const query = search.value.trim();
  const inCatalog = catalogEvent(query) !== undefined || results.some((event) => event.id === query);
  const addable = couldBeEventId(query) && !chosen.includes(query) && !inCatalog;
  addButton.hidden = !addable;
  addButton.textContent = t("eventAddId", { id: query });
  moreButton.hidden = nextCursor === null;
}

/** @param {string} id @param {boolean} on */
function choose(id, on) {
  chosen = on ? [...new Set([...chosen, id])] : chosen.filter((other) => other !== id);
  renderChips();
  for (const option of allOptions())
    if (option.dataset.id === id) option.setAttribute("aria-selected", String(on));
  updateButtons();
}

function addTypedId() {
  choose(search.value.trim(), true);
  search.value = "";
  search.focus();
  runSearch(false);
}

const allOptions = () => /** @type {HTMLElement[]} */ ([...options.children]);

/** The option ArrowDown/ArrowUp moved to, or null. */
function activeOption() {
  const id = search.getAttribute("aria-activedescendant");
  return id ? document.getElementById(id) : null;
}

/** @param {HTMLElement | null} option */
function setActive(option) {
  for (const other of allOptions()) other.classList.toggle("active", other === option);
  if (option) {
    search.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  } else search.removeAttribute("aria-activedescendant");
}

/** ArrowDown/ArrowUp: the next or previous match; past either end, back to the search itself. */
function moveActive(/** @type {1 | -1} */ step) {
  const list = allOptions();
  if (list.length === 0) return;
  const active = activeOption();
  const at = active ? list.indexOf(/** @type {HTMLElement} */ (active)) : step === 1 ? -1 : list.length;
  setActive(list[at + step] ?? null);
}

/** Enter: the active match toggled, else the first match chosen, once the search has answered. */
async function pickOnEnter() {
  if (resultsQuery !== search.value.trim()) await runSearch(false);
  const option = activeOption() ?? allOptions()[0];
  if (!option) return;
  const id = option.dataset.id ?? "";
  const on = option === activeOption() ? !chosen.includes(id) : true;
  setActive(option);
  choose(id, on);
}

/** @param {KeyboardEvent} event */
function onSearchKey(event) {
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    moveActive(event.key === "ArrowDown" ? 1 : -1);
  } else if (event.key === "Enter") {
    // Enter picks an event rather than saving the form half-filled.
    event.preventDefault();
    pickOnEnter();
  }
}

export function wirePicker() {
  search.addEventListener("input", () => {
    clearTimeout(typing);
    updateButtons();
    typing = setTimeout(() => runSearch(false), 200);
  });
  search.addEventListener("keydown", onSearchKey);
  search.addEventListener("focus", showMatches);
  options.addEventListener("click", (event) => {
    const option = event.target instanceof Element ? event.target.closest('[role="option"]') : null;
    if (!(option instanceof HTMLElement)) return;
    const id = option.dataset.id ?? "";
    setActive(option);
    choose(id, !chosen.includes(id));
    search.focus();
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
