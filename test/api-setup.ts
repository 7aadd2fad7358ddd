// Unit and consumer tests (the api project) run the Worker inside this isolate, its objects too.
import { env } from "cloudflare:workers";
import { beforeEach } from "vitest";
import { captureQueue } from "./queue-helpers";

// Nothing here reaches beyond this machine: a request no test answered (tests spy on fetch) is
// refused unless it goes to the loopback address, whatever code made it and whenever.
const loopback = new Set(["127.0.0.1", "localhost", "[::1]"]);
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!loopback.has(url.hostname)) {
    return Promise.reject(new TypeError(`tests send nothing beyond loopback: ${url.hostname}`));
  }
  return realFetch(input, init);
};

// The deliveries consumer runs only when a test runs it (wake() in ./queue-helpers.ts): wake-ups
// the objects' alarms send are kept here, never consumed.
beforeEach(() => {
  captureQueue(env.DELIVERIES);
});
