// Starts the service the way the README says (npm start), on a free port with scratch state.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface StartedService {
  base: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export async function startService(extraEnv: Record<string, string> = {}): Promise<StartedService> {
  const port = await freePort();
  const persist = mkdtempSync(join(tmpdir(), "eventinsight-webhooks-"));
  let output = "";
  const child: ChildProcess = spawn("node", ["scripts/start.mjs"], {
    cwd: join(import.meta.dirname, "../.."),
    env: { ...process.env, PORT: String(port), PERSIST_DIR: persist, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const base = `http://localhost:${port}`;
  const deadline = Date.now() + 90_000;
  while (!output.includes("Admin page:")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    base,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        process.kill(-child.pid, "SIGTERM");
        await exited;
      }
      rmSync(persist, { recursive: true, force: true });
    },
  };
}
