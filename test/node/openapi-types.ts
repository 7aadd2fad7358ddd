// What an origin service's or a receiver's developer does with the OpenAPI document: types from
// `npx openapi-typescript <url>` (default options), and their code compiled against them with tsc.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./started-service";

const CLIENTS = join(import.meta.dirname, "openapi-clients");

const TSCONFIG = {
  compilerOptions: {
    target: "es2024",
    lib: ["es2024", "dom"],
    module: "es2022",
    moduleResolution: "bundler",
    types: [],
    strict: true,
    noEmit: true,
  },
  include: ["*.ts"],
};

export interface Compiled {
  /** openapi-typescript's exit code and what it printed */
  generated: { status: number | null; output: string };
  /** tsc's exit code and its diagnostics */
  compiled: { status: number | null; output: string };
}

/** Generates `api.ts` from the document at `url` beside the clients and type-checks them. */
export function compileClients(url: string): Compiled {
  const dir = mkdtempSync(join(tmpdir(), "openapi-clients-"));
  try {
    cpSync(CLIENTS, dir, { recursive: true });
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
    const run = (command: string, args: string[]) => {
      const result = spawnSync(command, args, { cwd: repoRoot, encoding: "utf8", timeout: 60_000 });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    };
    const generated = run(process.execPath, [
      join(import.meta.dirname, "openapi-typegen.mjs"),
      url,
      join(dir, "api.ts"),
    ]);
    if (generated.status !== 0) return { generated, compiled: { status: null, output: "" } };
    const compiled = run(join(repoRoot, "node_modules/.bin/tsc"), ["-p", dir]);
    return { generated, compiled };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
