// The customer's endpoints, on 127.0.0.1 in a worker thread of its own (so that the load
// generator does not slow it down):
//   POST /fast/<label>   answers 200 at once and notes when it arrived and which entity_id it carried
//   POST /hang/<label>   never answers (the runtime gives up at DELIVERY_TIMEOUT_MS)
//   POST /flaky/<label>  answers 503 to the first attempt of each webhook-id, 200 to every later one
//   POST /slow/<label>   answers 200 after 100 ms (a receiver that takes a moment, as real ones do)
//   POST /token/<label>  an OAuth2 token endpoint: answers a new token (good for an hour) each time
// `at` is performance.timeOrigin + performance.now() (comparable across the process's threads),
// `wall` is Date.now() (comparable with the Worker's Date.now()).
import http from "node:http";
import { isMainThread, parentPort, Worker } from "node:worker_threads";

/** @typedef {{ kind: string, label: string, entity: unknown, n: unknown, status: number | null, at: number, wall: number, authorization: string | null, signatures: number, apiKey: string | null }} Arrival */

export const now = () => performance.timeOrigin + performance.now();

/** @param {import("node:worker_threads").MessagePort} parent */
function serve(parent) {
  /** @type {Arrival[]} */
  let arrivals = [];
  /** @type {Set<http.ServerResponse>} */
  const hanging = new Set();
  let tokensIssued = 0;
  /** webhook-ids the flaky endpoint has failed once. @type {Set<string>} */
  const failedOnce = new Set();
  const server = http.createServer((req, res) => {
    const at = now();
    const wall = Date.now();
    /** @type {Buffer[]} */
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const [, kind = "", label = ""] = (req.url ?? "").split("/");
      const authorization = req.headers.authorization ?? null;
      // What section 10 tells an old configuration by: the signatures a request carries, a custom header.
      const signatures = String(req.headers["webhook-signature"] ?? "")
        .split(" ")
        .filter(Boolean).length;
      const apiKey = typeof req.headers["x-api-key"] === "string" ? req.headers["x-api-key"] : null;
      const seen = { authorization, signatures, apiKey };
      if (kind === "token") {
        arrivals.push({ kind, label, entity: null, n: null, status: 200, at, wall, ...seen });
        tokensIssued++;
        const token = {
          access_token: `bench-${label}-${tokensIssued}`,
          token_type: "Bearer",
          expires_in: 3600,
        };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(token));
        return;
      }
      let entity = null;
      let n = null;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        entity = body.entity_id ?? null;
        n = body.result?.n ?? null;
      } catch {}
      if (kind === "hang") {
        arrivals.push({ kind, label, entity, n, status: null, at, wall, ...seen });
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
      }
      const id = String(req.headers["webhook-id"]);
      const status = kind === "flaky" && !failedOnce.has(id) ? 503 : 200;
      if (status === 503) failedOnce.add(id);
      arrivals.push({ kind, label, entity, n, status, at, wall, ...seen });
      const answer = () =>
        res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "busy");
      if (kind === "slow") setTimeout(answer, 100);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    parent.postMessage({ type: "ready", port: typeof address === "object" ? address?.port : null });
  });
  parent.on("message", (message) => {
    if (message.type === "take") {
      parent.postMessage({ type: "taken", id: message.id, arrivals });
      arrivals = [];
    } else if (message.type === "release") {
      for (const res of hanging) res.destroy();
      hanging.clear();
      parent.postMessage({ type: "released", id: message.id });
    }
  });
}

if (!isMainThread && parentPort) serve(parentPort);

/** @typedef {Awaited<ReturnType<typeof startReceiver>>} Receiver */

export async function startReceiver() {
  const worker = new Worker(new URL(import.meta.url));
  /** @type {Map<number, (message: any) => void>} */
  const pending = new Map();
  let nextId = 0;
  /** @type {number} */
  const port = await new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.on("message", (message) => {
      if (message.type === "ready") resolve(message.port);
      else pending.get(message.id)?.(message);
    });
  });
  /**
   * @param {string} type
   * @returns {Promise<any>}
   */
  const ask = (type) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, (message) => {
        pending.delete(id);
        resolve(message);
      });
      worker.postMessage({ type, id });
    });
  return {
    port,
    /** @param {"fast" | "hang" | "flaky" | "token" | "slow"} kind @param {string} label */
    url: (kind, label) => `http://127.0.0.1:${port}/${kind}/${label}`,
    /** Every request that arrived since the last take. @returns {Promise<Arrival[]>} */
    take: async () => (await ask("take")).arrivals,
    /** Drops the connections of hanging requests. */
    release: () => ask("release"),
    close: () => worker.terminate(),
  };
}
