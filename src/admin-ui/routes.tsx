// GET /admin: the built-in admin page (Settings → Integrations → Couplings). Plain Hono routes,
// so they stay out of the OpenAPI document; the page talks to the public admin API only.
import { Hono } from "hono";
import type { LanguageVariables } from "hono/language";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../http/app-env";
import { notFound } from "../http/problem";
import { ASSETS } from "./assets";
import { DICTIONARY, detectLanguage, isLanguage } from "./i18n";
import { AdminPage } from "./page";

type AdminUiEnv = { Bindings: Env; Variables: AppEnv["Variables"] & LanguageVariables };

const self = ["'self'"];
const none = ["'none'"];

export const adminUi = new Hono<AdminUiEnv>();

// Everything the page loads comes from this origin; no inline script or style is allowed.
adminUi.use(
  "*",
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: self,
      scriptSrc: self,
      styleSrc: self,
      imgSrc: self,
      connectSrc: self,
      objectSrc: none,
      baseUri: none,
      formAction: self,
      frameAncestors: none,
    },
    referrerPolicy: "no-referrer",
  }),
);

adminUi.get("/", detectLanguage(), (c) => {
  const language = c.get("language");
  const lang = isLanguage(language) ? language : "en";
  c.header("content-language", lang);
  c.header("vary", "accept-language");
  c.header("cache-control", "no-store");
  return c.html(<AdminPage lang={lang} t={DICTIONARY[lang]} />);
});

adminUi.get("/assets/:file", (c) => {
  const file = c.req.param("file");
  const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
  if (!asset) throw notFound(`The asset ${file}`);
  return c.body(asset.body, 200, { "content-type": asset.type, "cache-control": "no-cache" });
});
