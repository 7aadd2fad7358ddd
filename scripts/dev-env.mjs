// Shared by the scripts: the local .dev.vars and the environment wrangler runs with.
import { copyFileSync, existsSync, readFileSync } from "node:fs";
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

/** Wrangler without telemetry, without the Request.cf lookup, without prompts. */
export const wranglerEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: "true",
};
