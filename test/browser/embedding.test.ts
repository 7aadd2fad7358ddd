// The admin page inside EventInsight's dashboard, as docs/embedding.md shows it: a page of a listed
// origin (ADMIN_EMBED_ORIGINS) frames /admin and hands it the admin token by postMessage once the
// frame has loaded. A page of another origin cannot frame it, and a token another origin posts
// into the frame is not taken.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Session, startSession } from "./session";

const TOKEN_MESSAGE = "eventinsight-webhooks:token";

/** A dashboard page on 127.0.0.1 framing the admin page; `hand` posts the token once it loaded. */
function dashboardPage(admin: string, options: { token?: string; sibling?: string }) {
  const hand = options.token
    ? `frame.addEventListener("load", () => frame.contentWindow.postMessage(
        { type: "${TOKEN_MESSAGE}", token: ${JSON.stringify(options.token)} }, ${JSON.stringify(new URL(admin).origin)}));`
    : "";
  const sibling = options.sibling ? `<iframe id="sibling" src="${options.sibling}"></iframe>` : "";
  return `<!doctype html><html><head><title>Einstellungen</title></head><body>
<iframe id="admin" src="${admin}" style="width: 100%; height: 700px; border: 0"></iframe>${sibling}
<script>
  const frame = document.getElementById("admin");
  frame.addEventListener("load", () => { document.body.dataset.framed = "loaded"; });
  ${hand}
</script></body></html>`;
}

/** A server on 127.0.0.1 answering every request with the page `html()` gives. */
async function pageServer(html: (path: string) => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html(req.url ?? "/"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("the admin page embedded in EventInsight's dashboard", () => {
  let session: Session;
  let page: Page;
  let listed: { server: Server; origin: string };
  let unlisted: { server: Server; origin: string };
  let pages: Record<string, string> = {};

  beforeAll(async () => {
    [listed, unlisted] = await Promise.all([
      pageServer((path) => pages[`listed${path}`] ?? ""),
      pageServer((path) => pages[`unlisted${path}`] ?? "<!doctype html><p>another site</p>"),
    ]);
    session = await startSession({ devArgs: ["--var", `ADMIN_EMBED_ORIGINS:${listed.origin}`] });
    page = session.page;
    await session.adminApi("POST", "/v1/webhooks", {
      name: "Warenwirtschaft",
      url: "http://127.0.0.1:9/erp",
    });
  });

  afterAll(async () => {
    await session?.close();
    listed?.server.close();
    unlisted?.server.close();
  });

  const adminFrame = (): Frame => {
    const frame = page
      .frames()
      .find((candidate) => candidate.url().startsWith(`${session.service.base}/admin`));
    if (!frame) throw new Error(`no admin frame among ${page.frames().map((f) => f.url())}`);
    return frame;
  };

  it("signs in with the token the listed dashboard posts, in the language it asks for", async () => {
    pages = {
      "listed/settings": dashboardPage(`${session.service.base}/admin?lang=de`, {
        token: session.printed("Admin token"),
      }),
    };
    await page.goto(`${listed.origin}/settings`);
    const frame = page.frameLocator("#admin");
    await frame.getByRole("article", { name: "Warenwirtschaft" }).waitFor();
    await frame.getByRole("heading", { name: "Koppelungen", level: 1 }).waitFor();
    expect(await frame.getByRole("button", { name: "Webhook testen" }).isVisible()).toBe(true);
    expect(adminFrame().url(), "no token in the address").not.toContain("token");
  });

  it("cannot be framed by a page of an unlisted origin", async () => {
    const blocked: string[] = [];
    page.on("console", (message) => {
      if (/frame-ancestors/.test(message.text())) blocked.push(message.text());
    });
    pages = {
      "unlisted/settings": dashboardPage(`${session.service.base}/admin?lang=de`, {
        token: session.printed("Admin token"),
      }),
    };
    await page.goto(`${unlisted.origin}/settings`);
    await page.locator('body[data-framed="loaded"]').waitFor({ state: "attached" });
    expect(page.frames().some((frame) => frame.url().startsWith(session.service.base))).toBe(false);
    expect(blocked.join("\n")).toContain(listed.origin);
  });

  it("takes no token another origin posts into the frame, and the listed one's after it", async () => {
    pages = {
      "listed/settings": dashboardPage(`${session.service.base}/admin?lang=en`, {
        sibling: `${unlisted.origin}/widget`,
      }),
    };
    await page.goto(`${listed.origin}/settings`);
    await page.locator('body[data-framed="loaded"]').waitFor({ state: "attached" });
    const sibling = page.frames().find((frame) => frame.url().startsWith(unlisted.origin));
    if (!sibling) throw new Error("the unlisted widget did not load");
    const token = session.printed("Admin token");
    await sibling.evaluate(([type, token]) => window.parent.frames[0]?.postMessage({ type, token }, "*"), [
      TOKEN_MESSAGE,
      token,
    ] as const);
    // A framed page without a token asks for one after a few seconds: the widget's did not count.
    const frame = page.frameLocator("#admin");
    await frame.getByRole("heading", { name: "Sign in with an admin token" }).waitFor();
    expect(await frame.getByRole("article", { name: "Warenwirtschaft" }).count()).toBe(0);
    await page.evaluate(
      ([type, token, origin]) =>
        (document.getElementById("admin") as HTMLIFrameElement).contentWindow?.postMessage(
          { type, token },
          origin,
        ),
      [TOKEN_MESSAGE, token, new URL(session.service.base).origin] as const,
    );
    await frame.getByRole("article", { name: "Warenwirtschaft" }).waitFor();
  });

  it("broke no rule of the Content-Security-Policy inside the frame", () => {
    expect(session.policyViolations.filter((text) => !/frame-ancestors/.test(text))).toEqual([]);
  });
});
