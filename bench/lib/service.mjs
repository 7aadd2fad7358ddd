// The service under test, started exactly as `npm start` starts it (scripts/start.mjs with PORT
// and PERSIST_DIR), with extra `wrangler dev` arguments after `--`; and the CPU time its workerd
// processes spend, read from /proc.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export const root = join(import.meta.dirname, "../..");

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** utime + stime of a process in ms, or null when it is gone. */
function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

function descendants(rootPid) {
  const children = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1].split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {}
  }
  const found = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift();
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

const readText = (path) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
};

export async function startService({ persistDir, devArgs = [], onOutput = () => {} }) {
  const port = await freePort();
  let output = "";
  const child = spawn("node", ["scripts/start.mjs", "--", ...devArgs], {
    cwd: root,
    env: { ...process.env, PORT: String(port), PERSIST_DIR: persistDir },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const keep = (chunk) => {
    output = (output + chunk).slice(-64 * 1024); // wrangler logs every request: keep the tail only
    onOutput(String(chunk));
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const deadline = Date.now() + 120_000;
  while (!output.includes("Admin page:")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) process.kill(-child.pid, "SIGTERM");
      throw new Error(`the service did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  /** The processes whose CPU is measured: workerd runs the Worker; wrangler dev adds a proxy workerd and itself. */
  function processes() {
    return descendants(child.pid).flatMap((pid) => {
      const comm = readText(`/proc/${pid}/comm`).trim();
      const cmdline = readText(`/proc/${pid}/cmdline`).split("\0").join(" ");
      if (comm === "workerd") {
        const role = cmdline.includes(`entry=localhost:${port}`) ? "dev proxy" : "worker";
        return [{ pid, role }];
      }
      if (comm === "node" && cmdline.includes("wrangler")) return [{ pid, role: "wrangler" }];
      return [];
    });
  }

  /** CPU ms so far per role: "worker" (the Worker, with local D1, Queues and DOs), "dev proxy", "wrangler". */
  function cpu() {
    const byRole = {};
    for (const { pid, role } of processes()) byRole[role] = (byRole[role] ?? 0) + (cpuMsOf(pid) ?? 0);
    return byRole;
  }

  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid,
    cpu,
    processes,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => child.exitCode === null && process.kill(-child.pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
