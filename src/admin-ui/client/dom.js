// @ts-check
// Small DOM helpers: cloning the server's <template>s and filling their data-slot elements.
const ID_ATTRIBUTES = ["id", "for", "aria-labelledby", "aria-describedby", "aria-controls"];

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element;
}

/**
 * Shows confirmation dialog `id` with `text`; resolves true when the admin confirmed.
 * @param {string} id
 * @param {string} text
 * @returns {Promise<boolean>}
 */
export function confirmed(id, text) {
  const dialog = /** @type {HTMLDialogElement} */ (byId(id));
  byId(`${id}-text`).textContent = text;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm"), { once: true });
  });
}

/**
 * The first element of template `templateId`, with "__ID__" in its id references set to `key`.
 * @param {string} templateId
 * @param {string} key
 * @returns {HTMLElement}
 */
export function cloneTemplate(templateId, key) {
  const template = /** @type {HTMLTemplateElement} */ (byId(templateId));
  const root = /** @type {HTMLElement} */ (template.content.firstElementChild?.cloneNode(true));
  for (const element of [root, ...root.querySelectorAll("*")]) {
    for (const name of ID_ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value?.includes("__ID__")) element.setAttribute(name, value.replaceAll("__ID__", key));
    }
  }
  return root;
}

/**
 * @param {ParentNode} root
 * @param {string} name
 * @returns {HTMLElement}
 */
export function slot(root, name) {
  const element = root.querySelector(`[data-slot="${name}"]`);
  if (!(element instanceof HTMLElement)) throw new Error(`slot ${name} is missing`);
  return element;
}

/**
 * @param {ParentNode} root
 * @param {string} name
 * @param {string} text
 */
export function setSlot(root, name, text) {
  slot(root, name).textContent = text;
}

/**
 * A paragraph, preformatted block or span with the given text.
 * @param {"p" | "pre" | "span"} tag
 * @param {string} text
 * @param {string} [className]
 */
export function textElement(tag, text, className) {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

/** What each list last showed, so that looking again at the same data leaves it (and the focus) be. */
const shown = /** @type {WeakMap<HTMLElement, string>} */ (new WeakMap());

/**
 * Fills `list` with `rows()` unless it shows `data` already. With `openKey` (a data attribute of
 * the rows, e.g. "logId"), the rows the admin had opened stay open.
 * @param {HTMLElement} list
 * @param {unknown} data
 * @param {() => HTMLElement[]} rows
 * @param {string} [openKey]
 */
export function showRows(list, data, rows, openKey) {
  const now = JSON.stringify(data);
  if (shown.get(list) === now) return;
  shown.set(list, now);
  const made = rows();
  if (openKey) {
    const keyOf = (/** @type {Element} */ row) => /** @type {HTMLElement} */ (row).dataset[openKey];
    const open = new Set([...list.querySelectorAll(":scope > li:has(> details[open])")].map(keyOf));
    for (const row of made) {
      const details = row.querySelector(":scope > details");
      if (details instanceof HTMLDetailsElement && open.has(keyOf(row))) details.open = true;
    }
  }
  list.replaceChildren(...made);
}

/** The list was changed by other means than showRows: the next showRows fills it whatever it shows. */
export function forgetShown(/** @type {HTMLElement} */ list) {
  shown.delete(list);
}
