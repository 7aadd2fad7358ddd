// A keep-alive HTTP client for the load generator: node:http with one socket per concurrent
// request, so that the runtime, not connection setup, is what gets measured.
import http from "node:http";

/** @typedef {{ status: number, headers: http.IncomingHttpHeaders, body: string }} Answer */
/** @typedef {{ body?: unknown, headers?: Record<string, string> }} RequestOptions */
/** @typedef {ReturnType<typeof createClient>} Client */

/** @param {string} base */
export function createClient(base, maxSockets = 64) {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  /**
   * One request; resolves with { status, headers, body } once the whole answer is in.
   * @param {string} method
   * @param {string} path
   * @param {RequestOptions} [options]
   * @returns {Promise<Answer>}
   */
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
          /** @type {Buffer[]} */
          const chunks = [];
          res.on("data", (chunk) => chunks.push(chunk));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
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
  /**
   * A JSON request that must succeed; answers the parsed body.
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @param {Record<string, string>} [headers]
   * @returns {Promise<any>}
   */
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
 * @param {Client} client
 * @param {{ concurrency: number, durationMs: number, send: (client: Client) => Promise<Answer>, expect?: number }} options
 */
export async function closedLoop(client, { concurrency, durationMs, send, expect = 202 }) {
  let ok = 0;
  let failed = 0;
  /** @type {string | null} */
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
