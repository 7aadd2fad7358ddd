// The customer's endpoints, on 127.0.0.1 in a worker thread of its own (so that the load
// generator does not slow it down):
//   POST /fast/<label>   answers 200 at once and notes when it arrived and which entity_id it carried
//   POST /hang/<label>   never answers (the runtime gives up at DELIVERY_TIMEOUT_MS)
// `at` is performance.timeOrigin + performance.now() (comparable across the process's threads),
// `wall` is Date.now() (comparable with the Worker's Date.now()).
import http from "node:http";
import { isMainThread, parentPort, Worker } from "node:worker_threads";

export const now = () => performance.timeOrigin + performance.now();

function serve() {
  let arrivals = [];
  const hanging = new Set();
  const server = http.createServer((req, res) => {
    const at = now();
    const wall = Date.now();
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const [, kind, label] = (req.url ?? "").split("/");
      let entity = null;
      try {
        entity = JSON.parse(Buffer.concat(chunks).toString("utf8")).entity_id ?? null;
      } catch {}
      arrivals.push({ kind, label, entity, at, wall });
      if (kind === "hang") {
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => parentPort.postMessage({ type: "ready", port: server.address().port }));
  parentPort.on("message", (message) => {
    if (message.type === "take") {
      parentPort.postMessage({ type: "taken", id: message.id, arrivals });
      arrivals = [];
    } else if (message.type === "release") {
      for (const res of hanging) res.destroy();
      hanging.clear();
      parentPort.postMessage({ type: "released", id: message.id });
    }
  });
}

if (!isMainThread) serve();

export async function startReceiver() {
  const worker = new Worker(new URL(import.meta.url));
  const pending = new Map();
  let nextId = 0;
  const port = await new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.on("message", (message) => {
      if (message.type === "ready") resolve(message.port);
      else pending.get(message.id)?.(message);
    });
  });
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
    url: (kind, label) => `http://127.0.0.1:${port}/${kind}/${label}`,
    /** Every request that arrived since the last take: [{ kind, label, entity, at }]. */
    take: async () => (await ask("take")).arrivals,
    /** Drops the connections of hanging requests. */
    release: () => ask("release"),
    close: () => worker.terminate(),
  };
}
