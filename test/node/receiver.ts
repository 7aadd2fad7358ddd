// A fake customer endpoint on 127.0.0.1 with a settable script of answers per path.
//   POST /_script/<path>   body [{ status, body?, headers?, delay_ms? }, ...] — answers in turn, the last repeats
//   GET  /_requests/<path> what <path> received: [{ method, headers, body, at }]
// endpointOf(port, path) is the client side of one path.
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface ScriptedAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  delay_ms?: number;
}

export interface ReceivedRequest {
  method: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function startReceiver(): Promise<{ server: Server; port: number }> {
  const scripts = new Map<string, ScriptedAnswer[]>();
  const received = new Map<string, ReceivedRequest[]>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = await readBody(req);
    if (url.pathname.startsWith("/_script/")) {
      scripts.set(url.pathname.slice("/_script".length), JSON.parse(body));
      res.writeHead(204).end();
      return;
    }
    if (url.pathname.startsWith("/_requests/")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(received.get(url.pathname.slice("/_requests".length)) ?? []));
      return;
    }
    const log = received.get(url.pathname) ?? [];
    log.push({
      method: req.method ?? "",
      headers: req.headers as Record<string, string>,
      body,
      at: Date.now(),
    });
    received.set(url.pathname, log);
    const script = scripts.get(url.pathname) ?? [];
    const answer = (script.length > 1 ? script.shift() : script[0]) ?? { status: 200, body: "ok" };
    if (answer.delay_ms) await new Promise((resolve) => setTimeout(resolve, answer.delay_ms));
    if (res.destroyed) return;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body ?? "");
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address ? address.port : 0 });
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
