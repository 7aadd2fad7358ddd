// The names of the non-secret tunables the Worker reads (./config.ts parses them), apart from
// config.ts so that the scripts' tests can check, without the Worker's types, that wrangler.toml
// declares each.
/** The vars parseConfig reads; wrangler.toml declares each under [vars], so that .dev.vars can set it. */
export const CONFIG_VARS = [
  "DELIVERY_TIMEOUT_MS",
  "RETRY_DELAYS_S",
  "OVERLOAD_FLOOR_S",
  "SLOW_LANE_AFTER_MS",
  "CONCURRENT_SENDS",
  "ALLOW_PRIVATE_URLS",
  "DOH_URL",
  "MAX_WEBHOOKS_PER_ACCOUNT",
  "ADMIN_EMBED_ORIGINS",
] as const;

export type ConfigVar = (typeof CONFIG_VARS)[number];
