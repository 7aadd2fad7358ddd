// Debian's Chromium driven by playwright-core: never a downloaded browser, always a fresh profile.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  close: () => Promise<void>;
}

/** A browser context with its own scratch --user-data-dir, removed again on close. */
export async function launchChromium(options: { locale: string }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "admin-page-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    locale: options.locale,
    timezoneId: "UTC",
    // The width the page is checked at: no word may break inside, no button wrap (1280 px).
    viewport: { width: 1280, height: 900 },
  });
  // A step that has not happened within 10 s will not happen: fail with its call log instead.
  context.setDefaultTimeout(10_000);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
