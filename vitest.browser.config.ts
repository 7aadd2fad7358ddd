import { defineConfig } from "vitest/config";

// `npm run test:browser`: the admin page in Debian's Chromium against the service started as
// `npm start` starts it. Not one of `npm test`'s projects: it needs /usr/bin/chromium.
export default defineConfig({
  test: {
    name: "browser",
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    // The steps build on each other: after the first failure the rest would only time out.
    bail: 1,
    hookTimeout: 120_000,
  },
});
