// Starts the service the way the README says (npm start), on a free port with scratch state;
// runStart() runs an npm start that is expected to stop by itself, and reports how it ended.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface StartedService {
  port: number;
  base: string;
  /** Where its local D1 and Durable Objects live: start another with the same to restart it. */
  persist: string;
  output: () => string;
  /** Stops it (SIGTERM, or SIGKILL for a crash), removing its state unless `keepState`. */
  stop: (how?: { signal?: NodeJS.Signals; keepState?: boolean }) => Promise<void>;
}

export interface StartOptions {
  /** State of an earlier start to start on again (a restart); default: scratch state. */
  persist?: string;
  /** Arguments for wrangler dev, e.g. ["--var", "RETRY_DELAYS_S:1,1"]. */
  devArgs?: string[];
  /** The checkout to start (default: this one). */
  checkout?: string;
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

export const repoRoot = join(import.meta.dirname, "../..");

export interface EndedStart {
  code: number | null;
  output: string;
}

/**
 * Runs scripts/start.mjs (in `checkout`, by default this one) to its end. One that is still
 * running after `withinMs` is stopped and reported as such, with whatever it printed.
 */
export async function runStart(
  env: Record<string, string>,
  { checkout = repoRoot, withinMs = 90_000 } = {},
): Promise<EndedStart> {
  let output = "";
  const child = spawn("node", ["scripts/start.mjs"], {
    cwd: checkout,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGTERM"), withinMs);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  try {
    if (child.pid) process.kill(-child.pid, "SIGTERM"); // anything it left behind
  } catch {}
  return { code, output: code === null ? `${output}\n(still running after ${withinMs} ms)` : output };
}

export async function startService(
  extraEnv: Record<string, string> = {},
  {
    persist = mkdtempSync(join(tmpdir(), "eventinsight-webhooks-")),
    devArgs = [],
    checkout = repoRoot,
  }: StartOptions = {},
): Promise<StartedService> {
  const port = await freePort();
  let output = "";
  const args = devArgs.length > 0 ? ["scripts/start.mjs", "--", ...devArgs] : ["scripts/start.mjs"];
  const child: ChildProcess = spawn("node", args, {
    cwd: checkout,
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
    port,
    base,
    persist,
    output: () => output,
    stop: async ({ signal = "SIGTERM", keepState = false } = {}) => {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        process.kill(-child.pid, signal); // the whole group: start.mjs, wrangler and workerd
        await exited;
      }
      if (!keepState) rmSync(persist, { recursive: true, force: true });
    },
  };
}
