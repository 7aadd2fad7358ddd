// The <template> the script clones for each webhook: facts, health, what waits, actions, secret,
// failed deliveries and log.
// "__ID__" in ids is replaced by the webhook's id, so every label keeps pointing at its input.
import { ActivityPanel } from "./activity-template";
import { FailedPanel } from "./failed-template";
import type { Messages } from "./i18n";
import { LogPanel } from "./log-template";
import { PendingSection } from "./pending-template";

/** The code is the same in every language; its comment is in the page's. */
const verifySnippet = (t: Messages) => `import { Webhook } from "standardwebhooks";

// ${t.verifyRawBody}
const payload = new Webhook(process.env.EVENTINSIGHT_WEBHOOK_SECRET).verify(rawBody, request.headers);`;

/**
 * The signing secret, or an Ed25519 webhook's public key: the script names it and fills it in;
 * the card's data-scheme shows the words of its scheme (client/credentials.css).
 */
function SecretPanel({ t }: { t: Messages }) {
  return (
    <details class="panel" data-slot="secret-panel">
      <summary data-slot="secret-heading">{t.secretHeading}</summary>
      <div class="panel-body stack">
        <div class="field">
          <label for="wh-__ID__-secret" data-slot="secret-label">
            {t.secretLabel}
          </label>
          <div class="secret-row">
            <input
              id="wh-__ID__-secret"
              type="password"
              readonly
              placeholder="whsec_••••••••••••••••"
              autocomplete="off"
              spellcheck={false}
              translate="no"
              aria-describedby="wh-__ID__-rotate-hint"
              data-slot="secret"
            />
            <button type="button" data-action="reveal" class="hmac-only">
              {t.reveal}
            </button>
            <button type="button" data-action="copy">
              {t.copy}
            </button>
            <button type="button" data-action="rotate">
              {t.rotate}
            </button>
          </div>
          <p id="wh-__ID__-rotate-hint" class="hint">
            <span class="hmac-only">{t.rotateHint}</span>
            <span class="ed25519-only">{t.publicKeyRotateHint}</span>
          </p>
        </div>
        <p class="result" data-slot="secret-status" role="status" aria-live="polite" />
        <h3>{t.verifyHeading}</h3>
        <p class="ed25519-only">{t.publicKeyVerifyHint}</p>
        <p class="hmac-only">{t.verifyHint}</p>
        <pre class="code hmac-only" translate="no">
          <code>{verifySnippet(t)}</code>
        </pre>
      </div>
    </details>
  );
}

function Facts({ t }: { t: Messages }) {
  return (
    <dl class="facts">
      <div>
        <dt>{t.factTriggers}</dt>
        <dd data-slot="triggers" />
      </div>
      <div>
        <dt>{t.factEvents}</dt>
        <dd data-slot="events" />
      </div>
      <div>
        <dt>{t.factHealth}</dt>
        <dd data-slot="health" />
      </div>
      <div>
        <dt>{t.factHeaders}</dt>
        <dd class="headers-fact">
          <span data-slot="headers" />
          <button type="button" data-action="reveal-headers" hidden>
            {t.headersReveal}
          </button>
        </dd>
      </div>
      <div>
        <dt>{t.factPace}</dt>
        <dd data-slot="pace" />
      </div>
      <div>
        <dt>{t.factAuth}</dt>
        <dd data-slot="auth" />
      </div>
    </dl>
  );
}

function Notices({ t }: { t: Messages }) {
  return (
    <>
      <div class="notice warn" data-slot="disabled" hidden>
        <p data-slot="disabled-reason" />
        <button type="button" data-action="reactivate">
          {t.reactivate}
        </button>
      </div>
      <div class="notice" data-slot="failed" hidden>
        <div>
          <p data-slot="failed-count" />
          <p id="wh-__ID__-recover-hint" class="hint">
            {t.recoverHint}
          </p>
        </div>
        <button type="button" data-action="recover" aria-describedby="wh-__ID__-recover-hint">
          {t.recover}
        </button>
      </div>
    </>
  );
}

export function CardTemplate({ t }: { t: Messages }) {
  return (
    <template id="tpl-webhook">
      <li class="webhook">
        <article class="card" aria-labelledby="wh-__ID__-name">
          <header class="card-head">
            {/* biome-ignore lint/a11y/useHeadingContent: the script puts the webhook's name in */}
            <h2 id="wh-__ID__-name" data-slot="name" translate="no" />
            <span class="badge" data-slot="badge" />
          </header>
          <p class="url">
            <code data-slot="url" translate="no" />
          </p>
          <Facts t={t} />
          <ActivityPanel t={t} />
          <Notices t={t} />
          <PendingSection t={t} />
          <div class="actions">
            <button type="button" data-action="test" class="primary">
              {t.testWebhook}
            </button>
            <button type="button" data-action="edit">
              {t.edit}
            </button>
            <button type="button" data-action="delete" class="danger">
              {t.delete}
            </button>
          </div>
          <div class="result" data-slot="result" role="status" aria-live="polite" />
          <SecretPanel t={t} />
          <FailedPanel t={t} />
          <LogPanel t={t} />
        </article>
      </li>
    </template>
  );
}
