import { describe, expect, it } from "vitest";
import { DICTIONARY } from "../../src/admin-ui/i18n";
import { call } from "../helpers";

async function page(headers: Record<string, string> = {}, query = "") {
  const res = await call("GET", `/admin${query}`, { headers });
  expect(res.status, res.text).toBe(200);
  return res;
}

function directives(csp: string | null): Map<string, string[]> {
  const entries = (csp ?? "")
    .split(";")
    .map((part) => part.trim().split(/\s+/))
    .filter(([name]) => name)
    .map(([name, ...values]) => [name as string, values] as const);
  return new Map(entries);
}

const attributeValues = (html: string, tag: string, attribute: string) =>
  [...html.matchAll(new RegExp(`<${tag}\\b[^>]*\\b${attribute}="([^"]*)"`, "g"))].map((m) => m[1] as string);

describe("GET /admin", () => {
  it("serves the page as HTML without a token: the page asks for one itself", async () => {
    const res = await page();
    expect(res.headers.get("content-type")).toMatch(/^text\/html; charset=utf-8/i);
    expect(res.text.startsWith("<!doctype html>")).toBe(true);
    expect(res.text).toContain('id="token-form"');
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("sends a strict Content-Security-Policy: same origin only, nothing inline", async () => {
    const res = await page();
    const csp = directives(res.headers.get("content-security-policy"));
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(csp.get("style-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(res.headers.get("content-security-policy")).not.toMatch(/unsafe-|\*|https?:|data:/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("has no inline script or style and loads nothing from elsewhere", async () => {
    const { text } = await page();
    const scripts = [...text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = "", body = ""] of scripts) {
      // Only a module from this origin, or a JSON data block (never executed, so outside the CSP).
      if (/type="application\/json"/.test(attributes)) continue;
      expect(attributes).toMatch(/src="\/admin\/assets\/[\w.-]+\.js"/);
      expect(body).toBe("");
    }
    expect(text).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="/i);
    for (const url of [...attributeValues(text, "link", "href"), ...attributeValues(text, "script", "src")]) {
      expect(url).toMatch(/^\/admin\/assets\//);
    }
  });

  it("speaks English by default and for English browsers", async () => {
    const browsers: Record<string, string>[] = [
      {},
      { "accept-language": "en-US,en;q=0.9" },
      { "accept-language": "fr-FR" },
    ];
    for (const headers of browsers) {
      const res = await page(headers);
      expect(res.text).toContain('<html lang="en">');
      expect(res.text).toContain("Settings");
      expect(res.text).toContain("New webhook");
      expect(res.headers.get("content-language")).toBe("en");
    }
  });

  it("speaks German when Accept-Language prefers it", async () => {
    const res = await page({ "accept-language": "de-DE,de;q=0.9,en;q=0.8" });
    expect(res.text).toContain('<html lang="de">');
    for (const words of ["Einstellungen", "Integrationen", "Koppelungen", "Neuer Webhook", "Auslöser"]) {
      expect(res.text).toContain(words);
    }
    expect(res.headers.get("content-language")).toBe("de");
    expect(res.headers.get("vary")).toMatch(/accept-language/i);
  });

  it("lets the page's language switch (?lang=) win over Accept-Language", async () => {
    const german = await page({ "accept-language": "en" }, "?lang=de");
    expect(german.text).toContain('<html lang="de">');
    const english = await page({ "accept-language": "de" }, "?lang=en");
    expect(english.text).toContain('<html lang="en">');
  });

  it("hands the script the wording of the page's language", async () => {
    const { text } = await page({ "accept-language": "de" });
    const block = /<script type="application\/json" id="messages">([\s\S]*?)<\/script>/.exec(text)?.[1];
    expect(JSON.parse(block ?? "null")).toEqual(DICTIONARY.de);
  });

  it("is not part of the OpenAPI document", async () => {
    const res = await call("GET", "/v1/openapi.json");
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body.paths).filter((path) => path.startsWith("/admin"))).toEqual([]);
  });
});

describe("GET /admin/assets/*", () => {
  it("serves every stylesheet and script the page links with its content type", async () => {
    const { text } = await page();
    const styles = attributeValues(text, "link", "href").filter((href) => href.endsWith(".css"));
    expect(styles.length).toBeGreaterThan(0);
    for (const href of styles) {
      const res = await call("GET", href);
      expect(res.status, href).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/css; charset=utf-8");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    }
  });

  it("serves the script and every module it imports, transitively, as JavaScript", async () => {
    const seen = new Set<string>();
    const queue = ["app.js"];
    while (queue.length > 0) {
      const file = queue.shift() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      const res = await call("GET", `/admin/assets/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      for (const [, imported] of res.text.matchAll(/from "\.\/([\w-]+\.js)"/g))
        queue.push(imported as string);
    }
    expect(seen.size).toBeGreaterThan(5);
  });

  it("answers an unknown asset with a 404 problem", async () => {
    for (const path of ["/admin/assets/nope.js", "/admin/assets/constructor", "/admin/assets/..%2Fapp.ts"]) {
      const res = await call("GET", path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});
