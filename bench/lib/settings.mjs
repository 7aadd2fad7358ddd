// The queue consumer settings of wrangler.toml, local (top level) and production, for the report.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function queueSettings(root) {
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
  const settings = { local: {}, production: {} };
  for (const block of toml.split(/^\[\[/m).slice(1)) {
    const header = block.slice(0, block.indexOf("]]"));
    if (header !== "queues.consumers" && header !== "env.production.queues.consumers") continue;
    const fields = Object.fromEntries(
      [...block.matchAll(/^(\w+)\s*=\s*"?([^"\n#]*?)"?\s*(#.*)?$/gm)].map((match) => [match[1], match[2]]),
    );
    settings[header.startsWith("env.") ? "production" : "local"][fields.queue] = {
      max_batch_size: Number(fields.max_batch_size),
      max_batch_timeout_s: Number(fields.max_batch_timeout),
    };
  }
  return settings;
}

export const QUEUE_SETTINGS_WHY = [
  "Local (npm start, npm test, npm run bench): max_batch_timeout = 0. The local runtime runs one " +
    "consumer batch at a time, so waiting to fill a batch only adds latency; batches still grow to " +
    "max_batch_size (100) by themselves when changes arrive faster than a batch is processed.",
  "Production: changes 100 per batch and 1 s, deliveries (retries only) 50 per batch and 1 s, dead " +
    "letters 100 and 5 s. Consumers run concurrently there, so waiting up to 1 s to fill a batch is " +
    "cheap and lets one D1 query, one health batch() and one consumer invocation serve many changes " +
    "(section 4: cost per delivery falls as batches fill), at the price of up to 1 s of latency " +
    "while traffic is low (so the 100 ms p50 goal is a local goal).",
];
