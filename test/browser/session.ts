// An admin's browser session: the service started exactly as `npm start` starts it, and a fresh
// Chromium page that records every Content-Security-Policy complaint.
import type { Page } from "playwright-core";
import { type StartedService, startService } from "../node/started-service";
import { type Browser, launchChromium } from "./chromium";

export interface Session {
  service: StartedService;
  page: Page;
  /** What npm start printed after "<label>:", e.g. "Admin page" or "Ingest token". */
  printed: (label: string) => string;
  policyViolations: string[];
  close: () => Promise<void>;
}

export async function startSession(): Promise<Session> {
  const service = await startService();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium({ locale: "en-US" });
    const page = await browser.context.newPage();
    const policyViolations: string[] = [];
    page.on("console", (message) => {
      if (/Content.Security.Policy/i.test(message.text())) policyViolations.push(message.text());
    });
    const opened = browser;
    return {
      service,
      page,
      printed: (label) => new RegExp(`${label}:\\s+(\\S+)`).exec(service.output())?.[1] ?? "",
      policyViolations,
      close: async () => {
        await opened.close();
        await service.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await service.stop();
    throw error;
  }
}
