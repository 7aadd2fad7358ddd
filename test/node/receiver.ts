// A fake customer endpoint on 127.0.0.1 with a settable script of answers per path.
//   POST /_script/<path>   body [ScriptedAnswer, ...] — answers in turn, the last repeats
//   GET  /_requests/<path> what <path> received: [ReceivedRequest]
//   GET  /_all             what every path received
//   GET  /_closed_port     a port on 127.0.0.1 that nothing listens on (connections are refused)
//   POST /_tally           fault counts of a test file (see test/fault-tally.ts), summed for the run
// endpointOf(port, path) is the client side of one path (for tests in Node).
// Answers can also misbehave: delay, hang, reset the connection, trickle or stream a huge body.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { FaultCountsReport, ReceivedRequest, ScriptedAnswer } from "../receiver-script";

export type { ReceivedRequest, ScriptedAnswer };

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done).off("close", done);
      resolve();
    };
    res.on("drain", done).on("close", done);
  });
}

/** Writes `bytes` bytes in 64 KiB chunks, waiting for the client to read each: memory stays flat. */
async function streamBody(res: ServerResponse, bytes: number, log: ReceivedRequest): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, "x");
  log.bytes_sent = 0;
  while (log.bytes_sent < bytes && !res.destroyed) {
    const part = chunk.subarray(0, Math.min(chunk.length, bytes - log.bytes_sent));
    const drained = res.write(part);
    log.bytes_sent += part.length;
    if (!drained) await drainedOrClosed(res);
  }
}

async function trickle(
  res: ServerResponse,
  plan: NonNullable<ScriptedAnswer["trickle"]>,
  log: ReceivedRequest,
) {
  log.bytes_sent = 0;
  for (let i = 0; i < plan.chunks && !res.destroyed; i++) {
    res.write(plan.chunk);
    log.bytes_sent += Buffer.byteLength(plan.chunk);
    await sleep(plan.every_ms);
  }
}

async function answer(res: ServerResponse, scripted: ScriptedAnswer, log: ReceivedRequest): Promise<void> {
  res.once("close", () => {
    if (!res.writableFinished) log.client_gone_at = Date.now();
  });
  if (scripted.reset) return void res.socket?.resetAndDestroy();
  if (scripted.hang) return;
  if (scripted.delay_ms) await sleep(scripted.delay_ms);
  if (res.destroyed) return;
  res.writeHead(scripted.status, scripted.headers);
  log.status = scripted.status;
  if (scripted.trickle) await trickle(res, scripted.trickle, log);
  else if (scripted.body_bytes) await streamBody(res, scripted.body_bytes, log);
  else res.write(scripted.body ?? "");
  if (res.destroyed) return;
  res.end();
  log.answered_at = Date.now();
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export function startReceiver(): Promise<{ server: Server; port: number; tally: FaultCountsReport }> {
  const scripts = new Map<string, ScriptedAnswer[]>();
  const received: ReceivedRequest[] = [];
  const tally: FaultCountsReport = { injected: 0, recovered: 0, recorded: 0, lost: 0 };
  const json = (res: ServerResponse, value: unknown) =>
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(value));
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = await readBody(req);
    if (url.pathname.startsWith("/_script/")) {
      scripts.set(url.pathname.slice("/_script".length), JSON.parse(body));
      return void res.writeHead(204).end();
    }
    if (url.pathname.startsWith("/_requests/")) {
      const path = url.pathname.slice("/_requests".length);
      return json(
        res,
        received.filter((r) => r.path === path),
      );
    }
    if (url.pathname === "/_all") return json(res, received);
    if (url.pathname === "/_closed_port") return json(res, { port: await closedPort() });
    if (url.pathname === "/_tally") {
      const counts = JSON.parse(body) as FaultCountsReport;
      for (const key of Object.keys(tally) as (keyof FaultCountsReport)[]) tally[key] += counts[key];
      return void res.writeHead(204).end();
    }
    const log: ReceivedRequest = {
      method: req.method ?? "",
      path: url.pathname,
      headers: req.headers as Record<string, string>,
      body,
      at: Date.now(),
    };
    received.push(log);
    const script = scripts.get(url.pathname) ?? [];
    await answer(res, (script.length > 1 ? script.shift() : script[0]) ?? { status: 200, body: "ok" }, log);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address ? address.port : 0, tally });
    });
  });
}

/** One path of a started receiver as a test sees it: its URL, its script, what it received. */
export function endpointOf(port: number, path: string) {
  const base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}${path}`,
    async script(...answers: ScriptedAnswer[]) {
      await fetch(`${base}/_script${path}`, { method: "POST", body: JSON.stringify(answers) });
    },
    async requests(): Promise<ReceivedRequest[]> {
      return (await fetch(`${base}/_requests${path}`)).json();
    },
  };
}
