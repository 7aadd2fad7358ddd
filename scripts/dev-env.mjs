// Shared by the scripts: the local .dev.vars, the secrets it must hold, whether a port is free,
// and the environment wrangler runs with.
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Reads .dev.vars, writing it from .dev.vars.example first if it is missing. */
export function ensureDevVars() {
  const path = join(root, ".dev.vars");
  let created = false;
  if (!existsSync(path)) {
    copyFileSync(join(root, ".dev.vars.example"), path);
    created = true;
  }
  return { vars: parseDotenv(readFileSync(path, "utf8")), created };
}

export function parseDotenv(text) {
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) vars[match[1]] = match[2].replace(/^(["'])(.*)\1$/, "$2");
  }
  return vars;
}

/** The body of a top-level `[name]` table of wrangler.toml (the local configuration). */
function tomlSection(name) {
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
  return new RegExp(`^\\[${name}\\][ \\t]*$([\\s\\S]*?)(?=^\\[|(?![\\s\\S]))`, "m").exec(toml)?.[1] ?? "";
}

/** The names under `[vars]` at the top of wrangler.toml. */
export function declaredVars() {
  return [...tomlSection("vars").matchAll(/^([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)].map((match) => match[1]);
}

/**
 * The names `vars` (the parsed .dev.vars) sets that wrangler dev will not read: with a [secrets]
 * table it reads from .dev.vars only the names declared under [vars] or [secrets] required.
 */
export function unreadDevVars(vars) {
  const read = new Set([...declaredVars(), ...requiredSecrets()]);
  return Object.keys(vars).filter((name) => !read.has(name));
}

/** The names under `[secrets] required` at the top of wrangler.toml (the local configuration). */
export function requiredSecrets() {
  const section = tomlSection("secrets");
  const list = /^required\s*=\s*\[([^\]]*)\]/m.exec(section)?.[1];
  if (list === undefined) throw new Error("wrangler.toml has no [secrets] required list");
  return [...list.matchAll(/"([^"]+)"/g)].map((match) => match[1]);
}

/** The required secrets that `vars` (the parsed .dev.vars) lacks or leaves empty. */
export function missingSecrets(vars) {
  return requiredSecrets().filter((name) => !vars[name]);
}

/** Whether anything accepts connections on `port` at either loopback address `localhost` may mean. */
export async function portInUse(port) {
  const accepts = (host) =>
    new Promise((resolve) => {
      const socket = connect({ host, port, timeout: 1000 });
      const settle = (answer) => {
        socket.destroy();
        resolve(answer);
      };
      socket.once("connect", () => settle(true));
      socket.once("error", () => settle(false));
      socket.once("timeout", () => settle(false));
    });
  return (await Promise.all(["127.0.0.1", "::1"].map(accepts))).includes(true);
}

/** Wrangler without telemetry, without the Request.cf lookup, without prompts. */
export const wranglerEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: "true",
};
