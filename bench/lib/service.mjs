// The service under test, started exactly as `npm start` starts it (scripts/start.mjs with PORT
// and PERSIST_DIR), with extra `wrangler dev` arguments after `--`; the CPU time its processes
// spend, read from /proc; and the Worker's own address behind wrangler dev's proxy.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export const root = join(import.meta.dirname, "../..");

/** @typedef {"worker" | "dev proxy" | "wrangler"} Role */
/** @typedef {Partial<Record<Role, number>>} CpuByRole */
/** @typedef {Awaited<ReturnType<typeof startService>>} Service */

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
    server.on("error", reject);
  });
}

/** @param {string} path */
const readText = (path) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
};

/** The fields of /proc/<pid>/stat after the command name. @param {number} pid */
const statFields = (pid) => readText(`/proc/${pid}/stat`).split(") ")[1]?.split(" ") ?? [];

/** utime + stime of a process in ms (0 when it is gone). @param {number} pid */
function cpuMsOf(pid) {
  const fields = statFields(pid);
  return ((Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 1000) / 100; // USER_HZ is 100 on Linux
}

/** @param {number} rootPid */
function descendants(rootPid) {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = Number(statFields(Number(name))[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const found = [];
  const queue = [rootPid];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The TCP ports a process listens on (from /proc/net/tcp and its socket descriptors). @param {number} pid */
export function listeningPorts(pid) {
  const inodes = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`, { withFileTypes: false })) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {}
  }
  return readText(`/proc/${pid}/net/tcp`)
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === "0A" && inodes.has(fields[9])) // 0A: LISTEN
    .map((fields) => Number.parseInt(fields[1]?.split(":")[1] ?? "0", 16));
}

/**
 * The processes whose CPU is measured: one workerd runs the Worker (with its local D1, queues and
 * objects); wrangler dev adds a proxy workerd in front of it (listening on `port`) and itself.
 * @param {number} pid the process group's leader (scripts/start.mjs)
 * @param {number} port
 * @returns {{ pid: number, role: Role }[]}
 */
function processesOf(pid, port) {
  return descendants(pid).flatMap((child) => {
    const comm = readText(`/proc/${child}/comm`).trim();
    const cmdline = readText(`/proc/${child}/cmdline`).split("\0").join(" ");
    /** @type {Role | null} */
    let role = null;
    if (comm === "workerd") role = cmdline.includes(`entry=localhost:${port}`) ? "dev proxy" : "worker";
    else if (comm === "node" && cmdline.includes("wrangler")) role = "wrangler";
    return role ? [{ pid: child, role }] : [];
  });
}

/** CPU ms so far per role. @param {{ pid: number, role: Role }[]} processes @returns {CpuByRole} */
function cpuOf(processes) {
  /** @type {CpuByRole} */
  const byRole = {};
  for (const { pid, role } of processes) byRole[role] = (byRole[role] ?? 0) + cpuMsOf(pid);
  return byRole;
}

/**
 * CPU ms per role spent since `before` (a `service.cpu()` reading), divided by `per`.
 * @param {CpuByRole} before @param {CpuByRole} after @param {number} [per]
 * @returns {CpuByRole}
 */
export function cpuSpent(before, after, per = 1) {
  /** @type {CpuByRole} */
  const spent = {};
  for (const role of /** @type {Role[]} */ (Object.keys(after)))
    spent[role] = ((after[role] ?? 0) - (before[role] ?? 0)) / per;
  return spent;
}

/** Whether `base` answers /healthz as this service does. @param {string} base */
const answersHealthz = (base) =>
  fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) })
    .then(async (res) => res.ok && /** @type {{ status?: string }} */ (await res.json()).status === "ok")
    .catch(() => false);

/** The Worker's own address behind wrangler dev's proxy: its port that answers /healthz. @param {{ pid: number, role: Role }[]} processes */
async function directBaseOf(processes) {
  for (const { pid } of processes.filter((p) => p.role === "worker"))
    for (const port of listeningPorts(pid)) {
      const base = `http://127.0.0.1:${port}`;
      if (await answersHealthz(base)) return base;
    }
  return null;
}

/** Stops the whole process group, forcefully after 10 s. @param {import("node:child_process").ChildProcess} child */
async function stopGroup(child) {
  if (child.exitCode !== null || !child.pid) return;
  const pid = child.pid;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-pid, "SIGTERM");
  const timer = setTimeout(() => child.exitCode === null && process.kill(-pid, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * scripts/start.mjs on a free port; resolves once it printed the admin link.
 * @param {{ persistDir: string, devArgs?: string[], onOutput?: (text: string) => void }} options
 */
export async function startService({ persistDir, devArgs = [], onOutput = () => {} }) {
  const port = await freePort();
  let output = "";
  const child = spawn("node", ["scripts/start.mjs", "--", ...devArgs], {
    cwd: root,
    env: { ...process.env, PORT: String(port), PERSIST_DIR: persistDir },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  /** @param {Buffer} chunk */
  const keep = (chunk) => {
    output = (output + chunk).slice(-64 * 1024); // keep the tail only
    onOutput(String(chunk));
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const deadline = Date.now() + 120_000;
  while (!output.includes("Admin page:")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopGroup(child);
      throw new Error(`the service did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const pid = child.pid ?? 0;
  const processes = () => processesOf(pid, port);
  return {
    base: `http://127.0.0.1:${port}`,
    pid,
    processes,
    cpu: () => cpuOf(processes()),
    directBase: () => directBaseOf(processes()),
    output: () => output,
    stop: () => stopGroup(child),
  };
}
