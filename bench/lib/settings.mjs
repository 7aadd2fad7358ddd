// What the report and the harness read from wrangler.toml: the queue consumers' batch settings
// (local and production) and which queue each producer binding sends to.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** @typedef {Record<string, { max_batch_size: number, max_batch_timeout_s: number }>} QueueSettings */

/**
 * The fields of every [[header]] table of wrangler.toml (flat `key = value` lines only).
 * @param {string} root
 * @param {string} header
 */
function tables(root, header) {
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
  return toml
    .split(/^\[\[/m)
    .slice(1)
    .filter((block) => block.slice(0, block.indexOf("]]")) === header)
    .map((block) =>
      Object.fromEntries(
        [...block.matchAll(/^(\w+)\s*=\s*"?([^"\n#]*?)"?\s*(#.*)?$/gm)].map((match) => [match[1], match[2]]),
      ),
    );
}

/** @param {string} root */
export function queueSettings(root) {
  /** @param {string} header @returns {QueueSettings} */
  const of = (header) =>
    Object.fromEntries(
      tables(root, header).map((fields) => [
        fields.queue ?? "",
        {
          max_batch_size: Number(fields.max_batch_size),
          max_batch_timeout_s: Number(fields.max_batch_timeout),
        },
      ]),
    );
  return { local: of("queues.consumers"), production: of("env.production.queues.consumers") };
}

/**
 * The queue each producer binding of the local configuration sends to, e.g. { CHANGES: "eventinsight-changes" }.
 * @param {string} root
 * @returns {Record<string, string>}
 */
export function queueOfBinding(root) {
  return Object.fromEntries(tables(root, "queues.producers").map((fields) => [fields.binding, fields.queue]));
}
