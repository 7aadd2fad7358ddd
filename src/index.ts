// The Worker's entry points, wired together: HTTP, the queue consumers and the log's object.
import { createApp } from "./app";

export { RequestLog } from "./request-log/durable-object";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
