// Ingest auth: origin services send `Authorization: Bearer <INGEST_TOKEN>`. Several tokens may
// be configured (comma-separated) so that they can be rotated; all are compared in constant time.
import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { sha256 } from "../crypto/base64";
import type { AppEnv } from "../http/app-env";
import { ApiError } from "../http/problem";

const unauthorized = () =>
  new ApiError("unauthorized", "A valid ingest token is required.", undefined, {
    "www-authenticate": 'Bearer realm="ingest"',
  });

/** The digests of the configured tokens, computed once per configured value (not per request). */
let configuredDigests: { configured: string; digests: Promise<Uint8Array[]> } | undefined;

function digestsOf(configured: string): Promise<Uint8Array[]> {
  if (configuredDigests?.configured !== configured) {
    const tokens = configured
      .split(",")
      .map((token) => token.trim())
      .filter(Boolean);
    configuredDigests = { configured, digests: Promise.all(tokens.map(sha256)) };
  }
  return configuredDigests.digests;
}

/** Whether `presented` equals one of the tokens, taking the same time whichever it is. */
async function matchesAnyToken(presented: string, configured: string): Promise<boolean> {
  const [presentedDigest, digests] = await Promise.all([sha256(presented), digestsOf(configured)]);
  let matched = false;
  for (const digest of digests) {
    // Digests have equal length, which timingSafeEqual requires.
    matched = crypto.subtle.timingSafeEqual(presentedDigest, digest) || matched;
  }
  return matched;
}

export function ingestAuth(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function ingestAuth(c, next) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
    if (!match?.[1] || !(await matchesAnyToken(match[1], c.env.INGEST_TOKEN ?? ""))) throw unauthorized();
    await next();
  });
}
