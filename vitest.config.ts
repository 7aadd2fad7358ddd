import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { quietExpectedNoise, summaryLines } from "./test/quiet-output.ts";

quietExpectedNoise();

// Secrets and vars the tests run with, independent of any local .dev.vars.
export const TEST_BINDINGS = {
  ADMIN_JWT_SECRET: "test-admin-secret",
  INGEST_TOKEN: "test-ingest-token,test-ingest-token-next",
  SECRET_ENCRYPTION_KEY: "test-encryption-key",
  DELIVERY_TIMEOUT_MS: "2000",
  RETRY_DELAYS_S: "1,1,1",
  OVERLOAD_FLOOR_S: "1",
  // Tests answer DNS lookups themselves (test/queue-helpers.ts); one they do not answer goes
  // nowhere but the loopback address, where nothing listens.
  DOH_URL: "http://127.0.0.1:9/dns-query",
};

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  const workers = (bindings: Record<string, string>, main?: string) =>
    cloudflareTest({
      main,
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: { bindings: { ...TEST_BINDINGS, ...bindings, TEST_MIGRATIONS: migrations } },
    });
  return {
    test: {
      // Failures and summaries, not expected noise: see test/quiet-output.ts.
      silent: "passed-only" as const,
      reporters: ["default", summaryLines],
      projects: [
        {
          // Unit, route and consumer tests: the production URL policy (no private hosts).
          plugins: [workers({ ALLOW_PRIVATE_URLS: "false" })],
          test: {
            name: "api",
            include: ["test/**/*.test.ts"],
            exclude: [
              "test/e2e/**",
              "test/node/**",
              "test/browser/**",
              "test/faults/**",
              "test/restart/**",
              "test/bench/**",
              "test/schedule/**",
            ],
            setupFiles: ["./test/apply-migrations.ts", "./test/api-setup.ts"],
          },
        },
        {
          // The retry schedule as webhooks' objects apply it, with waits long enough to tell
          // apart (W = 100 s, 200 s, 300 s, then 20 h, past the 12 h a queue message may wait;
          // ±20 %; the overload floor 150 s), and the slow lane out of the way: every attempt
          // finishes within its batch.
          plugins: [
            workers({
              ALLOW_PRIVATE_URLS: "false",
              RETRY_DELAYS_S: "100,200,300,72000",
              OVERLOAD_FLOOR_S: "150",
              DELIVERY_TIMEOUT_MS: "100",
              SLOW_LANE_AFTER_MS: "5000",
            }),
          ],
          test: {
            name: "schedule",
            include: ["test/schedule/**/*.test.ts"],
            setupFiles: ["./test/apply-migrations.ts", "./test/api-setup.ts"],
          },
        },
        {
          // The Worker as npm run bench runs it (bench/worker/): counted bindings, /__bench routes.
          plugins: [workers({ ALLOW_PRIVATE_URLS: "false" }, "./bench/worker/index.ts")],
          test: {
            name: "bench",
            include: ["test/bench/**/*.test.ts"],
            setupFiles: ["./test/apply-migrations.ts", "./test/api-setup.ts"],
          },
        },
        {
          // The service as its users start it (npm start), driven over real HTTP from Node.
          test: {
            name: "node",
            include: ["test/node/**/*.test.ts"],
            environment: "node",
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
        {
          // Part of npm run test:faults: the service started as npm start starts it, stopped or
          // killed while deliveries wait, and started again on the same local state.
          test: {
            name: "restart",
            include: ["test/restart/**/*.test.ts"],
            environment: "node",
            testTimeout: 240_000,
            hookTimeout: 120_000,
          },
        },
        {
          // End to end through the real local queues to a receiver on 127.0.0.1.
          plugins: [workers({ ALLOW_PRIVATE_URLS: "true" })],
          test: {
            name: "e2e",
            include: ["test/e2e/**/*.test.ts"],
            setupFiles: ["./test/apply-migrations.ts"],
            globalSetup: ["./test/node/receiver-setup.ts"],
            testTimeout: 30_000,
          },
        },
        {
          // The fault matrix (npm run test:faults, not part of npm test): a real receiver on
          // 127.0.0.1 misbehaving in every way, through the real local queues. A 1 s timeout and
          // a 2 s overload floor keep it short; retries wait 1 s (±20 %) as in the other projects.
          plugins: [
            workers({ ALLOW_PRIVATE_URLS: "true", DELIVERY_TIMEOUT_MS: "1000", OVERLOAD_FLOOR_S: "2" }),
          ],
          test: {
            name: "faults",
            include: ["test/faults/**/*.test.ts"],
            setupFiles: ["./test/apply-migrations.ts"],
            globalSetup: ["./test/node/receiver-setup.ts"],
            testTimeout: 60_000,
          },
        },
      ],
    },
  };
});
