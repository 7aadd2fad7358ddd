// @ts-check
// The activity chart: one bar per bucket, delivered below and failed stacked on top, drawn as an
// inline SVG (no library: the CSP allows nothing from elsewhere). Each bar has a <title> with its
// counts; the chart as a whole is an image labelled with the window's summary.
import { formatDay, formatHour, lang, t } from "./i18n.js";

/** @typedef {import("./api.js").ActivityBucket} ActivityBucket */

const SVG = "http://www.w3.org/2000/svg";
const BAR = 10;
const GAP = 2;
const HEIGHT = 60;
/** A bar of one request still shows. */
const MIN_HEIGHT = 3;

const percent = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 });

/** @param {string} name @param {Record<string, string | number>} attributes */
function svgElement(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/**
 * The median duration of the window: the buckets' medians, each weighted by its requests (the
 * API answers a median per bucket, not one for the window).
 * @param {ActivityBucket[]} buckets
 */
export function windowMedian(buckets) {
  const timed = buckets
    .filter((bucket) => bucket.p50_ms !== null && bucket.delivered + bucket.failed > 0)
    .sort((a, b) => Number(a.p50_ms) - Number(b.p50_ms));
  const total = timed.reduce((n, bucket) => n + bucket.delivered + bucket.failed, 0);
  let seen = 0;
  for (const bucket of timed) {
    seen += bucket.delivered + bucket.failed;
    if (seen * 2 >= total) return bucket.p50_ms;
  }
  return null;
}

/** "Last 24 hours: 3 delivered, 1 failed, success rate 75%, median 12 ms." */
export function activitySummary(/** @type {ActivityBucket[]} */ buckets, /** @type {string} */ window) {
  const delivered = buckets.reduce((n, bucket) => n + bucket.delivered, 0);
  const failed = buckets.reduce((n, bucket) => n + bucket.failed, 0);
  const span = t(`window_${window}`);
  if (delivered + failed === 0) return t(`activityNone_${window}`);
  const median = windowMedian(buckets);
  return t("activitySummary", {
    window: span,
    delivered,
    failed,
    rate: percent.format(delivered / (delivered + failed)),
    median: median === null ? "—" : `${median} ms`,
  });
}

/** @param {number} count @param {number} scale */
const heightOf = (count, scale) => (count === 0 ? 0 : Math.max(MIN_HEIGHT, count * scale));

/** When a bucket of `window` starts: its hour, or its day. @param {string} start @param {string} window */
export const bucketStart = (start, window) => (window === "7d" ? formatDay(start) : formatHour(start));

/** One bucket's bar: delivered at the bottom, failed on top, its counts as its title. */
function bar(
  /** @type {ActivityBucket} */ bucket,
  /** @type {number} */ x,
  /** @type {number} */ scale,
  /** @type {string} */ window,
) {
  const group = svgElement("g", { "data-delivered": bucket.delivered, "data-failed": bucket.failed });
  const title = svgElement("title", {});
  title.textContent = t("activityBar", {
    time: bucketStart(bucket.start, window),
    delivered: bucket.delivered,
    failed: bucket.failed,
  });
  const delivered = heightOf(bucket.delivered, scale);
  const failed = heightOf(bucket.failed, scale);
  group.append(
    title,
    svgElement("rect", { x, y: 0, width: BAR, height: HEIGHT, class: "bucket" }),
    svgElement("rect", { x, y: HEIGHT - delivered, width: BAR, height: delivered, class: "delivered" }),
    svgElement("rect", { x, y: HEIGHT - delivered - failed, width: BAR, height: failed, class: "failed" }),
  );
  return group;
}

/** The chart of `buckets`, oldest left. */
export function activityChart(
  /** @type {ActivityBucket[]} */ buckets,
  /** @type {string} */ summary,
  /** @type {string} */ window,
) {
  const width = buckets.length * (BAR + GAP) - GAP;
  const svg = svgElement("svg", {
    viewBox: `0 0 ${width} ${HEIGHT}`,
    preserveAspectRatio: "none",
    role: "img",
    "aria-label": summary,
  });
  const peak = Math.max(1, ...buckets.map((bucket) => bucket.delivered + bucket.failed));
  // Room for the minimum heights of both parts of the tallest bar.
  const scale = (HEIGHT - 2 * MIN_HEIGHT) / peak;
  buckets.forEach((bucket, i) => {
    svg.append(bar(bucket, i * (BAR + GAP), scale, window));
  });
  return svg;
}
