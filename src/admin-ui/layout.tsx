// The page shell: head (same-origin CSS and script only), breadcrumb and language switch.
import type { Child } from "hono/jsx";
import { STYLESHEETS } from "./assets";
import { LANGUAGES, type Language, type Messages } from "./i18n";

const ASSET_BASE = "/admin/assets";

const LANGUAGE_NAMES: Record<Language, string> = { en: "English", de: "Deutsch" };

/** JSON that is safe inside a <script> data block: nothing in it can close the element. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function Breadcrumb({ t }: { t: Messages }) {
  return (
    <nav aria-label={t.breadcrumb} class="breadcrumb">
      <ol>
        <li>{t.crumbSettings}</li>
        <li>{t.crumbIntegrations}</li>
        <li aria-current="page">{t.crumbCouplings}</li>
      </ol>
    </nav>
  );
}

function LanguageSwitch({ lang, t }: { lang: Language; t: Messages }) {
  return (
    <nav aria-label={t.language} class="language-switch">
      <ul>
        {LANGUAGES.map((code) => (
          <li>
            <a
              href={`?lang=${code}`}
              hreflang={code}
              lang={code}
              aria-current={code === lang ? "true" : undefined}
            >
              {LANGUAGE_NAMES[code]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Layout(props: { lang: Language; t: Messages; embedOrigins: string[]; children: Child }) {
  const { lang, t } = props;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{t.pageTitle}</title>
        <link rel="icon" href={`${ASSET_BASE}/icon.svg`} type="image/svg+xml" />
        {STYLESHEETS.map((file) => (
          <link rel="stylesheet" href={`${ASSET_BASE}/${file}`} />
        ))}
        <script type="module" src={`${ASSET_BASE}/app.js`} />
        <script
          type="application/json"
          id="messages"
          dangerouslySetInnerHTML={{ __html: scriptSafeJson(t) }}
        />
        {/* The origins whose pages may hand the framed page its token (ADMIN_EMBED_ORIGINS). */}
        <script
          type="application/json"
          id="embed-origins"
          dangerouslySetInnerHTML={{ __html: scriptSafeJson(props.embedOrigins) }}
        />
      </head>
      <body>
        <header class="page-header">
          <Breadcrumb t={t} />
          <LanguageSwitch lang={lang} t={t} />
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}
