// The Worker as `npm run bench` runs it (wrangler dev's entry-script argument, same wrangler.toml):
// the production entry points, wrapped so that every request, consumer invocation and binding
// call is counted, plus the /__bench routes. The production Worker knows nothing of this.
import worker, * as app from "../../src/index";
import { countedObject } from "./counted-object";
import { benchFetch, benchQueue } from "./invocations";

// Each Durable Object class of wrangler.toml, counted from the inside under its own name.
export const WebhookObject = countedObject(app.WebhookObject);

export default {
  ...worker,
  fetch: benchFetch(worker.fetch),
  queue: benchQueue(worker.queue),
} satisfies ExportedHandler<Env, unknown>;
