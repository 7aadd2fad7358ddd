// GET /admin: the built-in admin page (Einstellungen → Integrationen → Koppelungen; in English
// Settings → Integrations → Webhooks). Plain Hono routes, so they stay out of the OpenAPI
// document; the page talks to the public admin API only.
import { Hono } from "hono";
import type { LanguageVariables } from "hono/language";
import { secureHeaders } from "hono/secure-headers";
import { configOf } from "../config";
import type { AppEnv } from "../http/app-env";
import { notFound } from "../http/problem";
import { ASSETS } from "./assets";
import { DICTIONARY, detectLanguage, isLanguage } from "./i18n";
import { AdminPage } from "./page";

type AdminUiEnv = { Bindings: Env; Variables: AppEnv["Variables"] & LanguageVariables };

const self = ["'self'"];
const none = ["'none'"];

export const adminUi = new Hono<AdminUiEnv>();

/** The pages that may show the admin page in a frame: ADMIN_EMBED_ORIGINS, else none. */
const embedOrigins = (env: Env) => configOf(env).adminEmbedOrigins;

// Everything the page loads comes from this origin; no inline script or style is allowed. Only
// the listed origins may frame it; X-Frame-Options (which cannot list origins) is sent only when
// none are listed, so that it never contradicts frame-ancestors.
adminUi.use("*", async (c, next) => {
  await next();
  if (embedOrigins(c.env).length === 0) c.header("x-frame-options", "DENY");
});
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
      frameAncestors: [(c) => (embedOrigins(c.env).length > 0 ? embedOrigins(c.env) : none).join(" ")],
    },
    xFrameOptions: false,
    referrerPolicy: "no-referrer",
  }),
);

adminUi.get("/", detectLanguage(), (c) => {
  const language = c.get("language");
  const lang = isLanguage(language) ? language : "en";
  c.header("content-language", lang);
  c.header("vary", "accept-language");
  c.header("cache-control", "no-store");
  return c.html(<AdminPage lang={lang} t={DICTIONARY[lang]} embedOrigins={embedOrigins(c.env)} />);
});

adminUi.get("/assets/:file", (c) => {
  const file = c.req.param("file");
  const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
  if (!asset) throw notFound(`The asset ${file}`);
  return c.body(asset.body, 200, { "content-type": asset.type, "cache-control": "no-cache" });
});
