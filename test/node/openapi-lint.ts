// Lints an OpenAPI document with Redocly CLI (a pinned devDependency) and the repository's
// redocly.yaml: built-in rules only, telemetry off, so it runs without any network.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");

export interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location?: unknown }[];
}

export function lintOpenApi(document: unknown): LintReport {
  const dir = mkdtempSync(join(tmpdir(), "openapi-lint-"));
  try {
    const file = join(dir, "openapi.json");
    writeFileSync(file, JSON.stringify(document));
    const cli = join(root, "node_modules/@redocly/cli/bin/cli.js");
    const run = spawnSync(
      process.execPath,
      [cli, "lint", file, "--config", join(root, "redocly.yaml"), "--format=json"],
      {
        cwd: root,
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      },
    );
    const json = run.stdout.slice(run.stdout.indexOf("{"));
    if (!json) throw new Error(`redocly lint printed no report (exit ${run.status}):\n${run.stderr}`);
    return JSON.parse(json) as LintReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
