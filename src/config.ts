// Non-secret tunables from [vars] (or .dev.vars), parsed once per isolate. The defaults here are
// the documented ones (README, Configuration) and the only home of these values: wrangler.toml
// sets a var only to differ from it.
import type { ConfigVar } from "./config-vars";
import { logWarn } from "./log";
export interface Config {
  deliveryTimeoutMs: number;
  retryDelaysS: number[];
  overloadFloorS: number;
  slowLaneAfterMs: number;
  concurrentSends: number;
  allowPrivateUrls: boolean;
  /** DNS-over-HTTPS endpoint (JSON API) that resolves webhook hosts before each send. */
  dohUrl: string;
  /** Creating one more webhook than this in an account is a 409. */
  maxWebhooksPerAccount: number;
  /** Origins whose pages may show /admin in a frame and hand it a token (ADMIN_EMBED_ORIGINS). */
  adminEmbedOrigins: string[];
}

/** Failed deliveries are kept this long (then purged by the cron) and recover looks back as far. */
export const RETENTION_DAYS = 30;
export const RETENTION_MS = RETENTION_DAYS * 24 * 3600 * 1000;

const DEFAULT_DOH_URL = "https://cloudflare-dns.com/dns-query";
export const DEFAULT_RETRY_DELAYS_S = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400];

type ConfigVars = Partial<Record<ConfigVar, string>>;

function positiveNumber(raw: string | undefined, fallback: number): number {
  const value = Number(raw);
  return raw !== undefined && raw.trim() !== "" && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function delayList(raw: string | undefined): number[] {
  if (!raw?.trim()) return DEFAULT_RETRY_DELAYS_S;
  const delays = raw.split(",").map((part) => Number(part.trim()));
  return delays.every((d) => Number.isFinite(d) && d >= 0) ? delays : DEFAULT_RETRY_DELAYS_S;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
const PLAIN_HOST = /^(?:[a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/;

/**
 * The origin `entry` names, or null: `https://host[:port]` (plain `http` only for a loopback
 * host, as in local development), with no path, query, credentials or wildcard, so that the
 * page's frame-ancestors and its check of a message's origin mean the same thing.
 */
export function embedOrigin(entry: string): string | null {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return null;
  }
  const secure = url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
  const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
  return secure && bare && PLAIN_HOST.test(url.hostname) && !/[?#]/.test(entry) ? url.origin : null;
}

/** ADMIN_EMBED_ORIGINS, space-separated: the valid origins, and the entries refused. */
export function parseEmbedOrigins(raw: string | undefined): { origins: string[]; refused: string[] } {
  const entries = (raw ?? "").split(/\s+/).filter(Boolean);
  const origins = entries.map(embedOrigin);
  return {
    origins: [...new Set(origins.filter((origin): origin is string => origin !== null))],
    refused: entries.filter((_, i) => origins[i] === null),
  };
}

export function parseConfig(vars: ConfigVars): Config {
  return {
    deliveryTimeoutMs: positiveNumber(vars.DELIVERY_TIMEOUT_MS, 15_000),
    retryDelaysS: delayList(vars.RETRY_DELAYS_S),
    overloadFloorS: positiveNumber(vars.OVERLOAD_FLOOR_S, 60),
    slowLaneAfterMs: positiveNumber(vars.SLOW_LANE_AFTER_MS, 1000),
    concurrentSends: Math.max(1, Math.floor(positiveNumber(vars.CONCURRENT_SENDS, 6))),
    allowPrivateUrls: vars.ALLOW_PRIVATE_URLS === "true",
    dohUrl: vars.DOH_URL?.trim() || DEFAULT_DOH_URL,
    maxWebhooksPerAccount: Math.max(1, Math.floor(positiveNumber(vars.MAX_WEBHOOKS_PER_ACCOUNT, 100))),
    adminEmbedOrigins: parseEmbedOrigins(vars.ADMIN_EMBED_ORIGINS).origins,
  };
}

const cache = new WeakMap<object, Config>();

/** The config of this env object, parsed on first use. */
export function configOf(env: Env): Config {
  let config = cache.get(env);
  if (!config) {
    config = parseConfig(env as unknown as ConfigVars);
    cache.set(env, config);
    warnRefusedEmbedOrigins(env as unknown as ConfigVars);
  }
  return config;
}

/** An origin left out of ADMIN_EMBED_ORIGINS is named once per isolate (origins are not secrets). */
function warnRefusedEmbedOrigins(vars: ConfigVars): void {
  const { refused } = parseEmbedOrigins(vars.ADMIN_EMBED_ORIGINS);
  if (refused.length === 0) return;
  logWarn("ADMIN_EMBED_ORIGINS: left out, not an https origin (http only for localhost)", refused.join(" "));
}
