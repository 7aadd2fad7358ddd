// A keep-alive HTTP client for the load generator: node:http with one socket per concurrent
// request, so that the runtime, not connection setup, is what gets measured.
import http from "node:http";

export function createClient(base, maxSockets = 64) {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  /** One request; resolves with { status, headers, body } once the whole answer is in. */
  function request(method, path, { body, headers = {} } = {}) {
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: {
            ...(payload === undefined
              ? {}
              : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
            ...headers,
          },
        },
        (res) => {
          const chunks = [];
          res.on("data", (chunk) => chunks.push(chunk));
          res.on("end", () =>
            resolve({
              status: res.statusCode,
              headers: res.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }
  async function json(method, path, body, headers) {
    const res = await request(method, path, { body, headers });
    if (res.status >= 300)
      throw new Error(`${method} ${path} answered ${res.status}: ${res.body.slice(0, 500)}`);
    return res.body ? JSON.parse(res.body) : null;
  }
  return { request, json, close: () => agent.destroy() };
}

/**
 * Closed loop: `concurrency` lanes each sending the next request as soon as the previous one is
 * answered, for `durationMs`. Answers requests/s of the expected status, and the failures.
 */
export async function closedLoop(client, { concurrency, durationMs, send, expect = 202 }) {
  let ok = 0;
  let failed = 0;
  let firstFailure = null;
  const started = performance.now();
  const deadline = started + durationMs;
  const lane = async () => {
    while (performance.now() < deadline) {
      try {
        const res = await send(client);
        if (res.status === expect) ok++;
        else {
          failed++;
          firstFailure ??= `${res.status} ${res.body.slice(0, 200)}`;
        }
      } catch (error) {
        failed++;
        firstFailure ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  return { ok, failed, firstFailure, seconds, perSecond: ok / seconds };
}
