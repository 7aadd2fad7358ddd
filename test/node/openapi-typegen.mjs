// Writes the TypeScript types openapi-typescript generates, with its default options, from the
// OpenAPI document at argv[2] (a URL) to the file argv[3]: what an origin service or a receiver
// gets from `npx openapi-typescript <url>`.
//
// openapi-typescript builds its output with the TypeScript compiler's JavaScript API, which
// TypeScript 7 (the project's compiler, a native binary) no longer has: its own `typescript`
// import is pointed at the TypeScript 5 this project installs for it (the `typescript5` alias).
import { writeFileSync } from "node:fs";
import { registerHooks } from "node:module";

registerHooks({
  resolve(specifier, context, next) {
    const fromGenerator = context.parentURL?.includes("/node_modules/openapi-typescript/");
    return next(specifier === "typescript" && fromGenerator ? "typescript5" : specifier, context);
  },
});

const [url, out] = process.argv.slice(2);
if (!url || !out) throw new Error("usage: node openapi-typegen.mjs <openapi url> <out file>");
const { default: openapiTS, astToString } = await import("openapi-typescript");
writeFileSync(out, astToString(await openapiTS(new URL(url))));
