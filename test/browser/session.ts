// An admin's browser session: the service started exactly as `npm start` starts it, and a fresh
// Chromium page that records every Content-Security-Policy complaint. What the test does outside
// the page (setting up webhooks, reporting changes) goes through the public APIs with the tokens
// npm start printed.
import type { Page } from "playwright-core";
import { printedBy } from "../node/service-api";
import { type StartedService, type StartOptions, startService } from "../node/started-service";
import { type Browser, launchChromium } from "./chromium";

export interface Session {
  service: StartedService;
  page: Page;
  /** What npm start printed after "<label>:", e.g. "Admin page" or "Ingest token". */
  printed: (label: string) => string;
  /** An admin API call with the printed admin token; anything but a 2xx throws. */
  adminApi: (method: string, path: string, body?: unknown) => Promise<any>;
  /** Reports one change through POST /v1/changes as an origin service does; an error answer throws. */
  ingest: (change: Record<string, unknown>) => Promise<void>;
  /** Syncs events into account acme's catalog through PUT /v1/events, as an origin service does. */
  putEvents: (events: { id: string; name: string; starts_at?: string }[]) => Promise<void>;
  /** Removes an event from account acme's catalog through DELETE /v1/events/acme/{id}. */
  deleteEvent: (id: string) => Promise<void>;
  /** The admin page in `lang`, signed in with npm start's link, once its list has loaded. */
  openAdminPage: (lang?: "en" | "de") => Promise<void>;
  /** Reloads the page as the admin does, resolving once its list has loaded again. */
  reloadAdminPage: () => Promise<void>;
  policyViolations: string[];
  close: () => Promise<void>;
}

async function callApi(service: StartedService, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${service.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** `devArgs`: for wrangler dev, e.g. ["--var", "ADMIN_EMBED_ORIGINS:http://127.0.0.1:5000"]. */
export async function startSession(options: Pick<StartOptions, "devArgs"> = {}): Promise<Session> {
  const service = await startService({}, options);
  const printed = (label: string) => printedBy(service, label);
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
      printed,
      adminApi: (method, path, body) => callApi(service, printed("Admin token"), method, path, body),
      ingest: async (change) => {
        await callApi(service, printed("Ingest token"), "POST", "/v1/changes", change);
      },
      putEvents: async (events) => {
        await callApi(service, printed("Ingest token"), "PUT", "/v1/events", { account_id: "acme", events });
      },
      deleteEvent: async (id) => {
        await callApi(
          service,
          printed("Ingest token"),
          "DELETE",
          `/v1/events/acme/${encodeURIComponent(id)}`,
        );
      },
      openAdminPage: async (lang = "en") => {
        // A link that differs only in its #fragment would not load the page anew.
        await page.goto("about:blank");
        await page.goto(printed("Admin page").replace("/admin#", `/admin?lang=${lang}#`));
        await page.locator('#webhook-list[aria-busy="false"]').waitFor({ state: "attached" });
      },
      reloadAdminPage: async () => {
        await page.reload();
        await page.locator('#webhook-list[aria-busy="false"]').waitFor({ state: "attached" });
      },
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
