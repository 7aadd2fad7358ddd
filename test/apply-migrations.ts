import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Setup files may run more than once; applyD1Migrations only applies what is missing.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// Spies (fetch, queue bindings) never outlive the test that set them.
import { afterEach, vi } from "vitest";

afterEach(() => {
  vi.restoreAllMocks();
});
