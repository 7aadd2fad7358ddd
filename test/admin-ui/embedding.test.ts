// The admin page inside EventInsight's dashboard: only the origins in ADMIN_EMBED_ORIGINS may frame
// it (CSP frame-ancestors; X-Frame-Options only while none are listed, so the two never disagree),
// and the page learns the same list, from which alone it takes a token by postMessage.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { embedOrigin, parseEmbedOrigins } from "../../src/config";

const app = createApp();

async function adminPage(origins: string | undefined, path = "/admin") {
  const bindings = { ...env, ADMIN_EMBED_ORIGINS: origins } as unknown as Env;
  const res = await app.request(`https://webhooks.test${path}`, {}, bindings);
  expect(res.status, path).toBe(200);
  const csp = res.headers.get("content-security-policy") ?? "";
  const frameAncestors = /frame-ancestors ([^;]*)/.exec(csp)?.[1]?.trim().split(/\s+/);
  const text = await res.text();
  const block = /<script type="application\/json" id="embed-origins">([\s\S]*?)<\/script>/.exec(text)?.[1];
  return { res, frameAncestors, pageOrigins: block ? JSON.parse(block) : undefined };
}

describe("embedding the admin page", () => {
  it("may be framed by nobody while ADMIN_EMBED_ORIGINS is empty", async () => {
    for (const origins of [undefined, "", "   "]) {
      const { res, frameAncestors, pageOrigins } = await adminPage(origins);
      expect(frameAncestors).toEqual(["'none'"]);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(pageOrigins).toEqual([]);
    }
  });

  it("may be framed by exactly the listed origins, and tells the page which they are", async () => {
    const listed = "https://dashboard.example.com  http://127.0.0.1:5173\thttps://admin.example.com:8443";
    const { res, frameAncestors, pageOrigins } = await adminPage(listed);
    const origins = [
      "https://dashboard.example.com",
      "http://127.0.0.1:5173",
      "https://admin.example.com:8443",
    ];
    expect(frameAncestors).toEqual(origins);
    expect(res.headers.get("x-frame-options"), "it would contradict frame-ancestors").toBeNull();
    expect(pageOrigins).toEqual(origins);
    const asset = await adminPage(listed, "/admin/assets/app.js");
    expect(asset.frameAncestors).toEqual(origins);
  });

  it("leaves out what is not an origin it can check, and frames nothing for it", async () => {
    const { frameAncestors, pageOrigins } = await adminPage(
      "https://dashboard.example.com/settings * https://*.example.com http://dashboard.example.com 'self' javascript:alert(1)",
    );
    expect(frameAncestors).toEqual(["'none'"]);
    expect(pageOrigins).toEqual([]);
  });
});

describe("ADMIN_EMBED_ORIGINS", () => {
  it.each([
    ["https://dashboard.example.com", "https://dashboard.example.com"],
    ["https://dashboard.example.com/", "https://dashboard.example.com"],
    ["HTTPS://Dashboard.Example.COM:443", "https://dashboard.example.com"],
    ["https://dashboard.example.com:8443", "https://dashboard.example.com:8443"],
    ["http://localhost:5173", "http://localhost:5173"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
    ["http://[::1]:8080", "http://[::1]:8080"],
  ])("takes %s as %s", (entry, origin) => {
    expect(embedOrigin(entry)).toBe(origin);
  });

  it.each([
    "http://dashboard.example.com", // plain http only for this machine
    "https://dashboard.example.com/settings",
    "https://dashboard.example.com/?embed=1",
    "https://dashboard.example.com/#x",
    "https://user:pass@dashboard.example.com",
    "https://*.example.com",
    "*",
    "'self'",
    "dashboard.example.com",
    "ftp://dashboard.example.com",
    "javascript:alert(1)",
  ])("refuses %s", (entry) => {
    expect(embedOrigin(entry)).toBeNull();
  });

  it("splits on any whitespace, drops repeats and names what it refused", () => {
    expect(
      parseEmbedOrigins(" https://a.example.com\nhttps://a.example.com  https://b.example.com/x "),
    ).toEqual({
      origins: ["https://a.example.com"],
      refused: ["https://b.example.com/x"],
    });
  });
});
