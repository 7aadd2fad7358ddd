// The two states of the page: asking for a token, and the list of the account's webhooks.
import type { Messages } from "./i18n";

export function TokenPanel({ t }: { t: Messages }) {
  return (
    <section id="token-panel" aria-labelledby="token-heading" hidden>
      <h1 id="token-heading">{t.tokenHeading}</h1>
      <form id="token-form" class="stack" novalidate>
        <p id="token-error" class="field-error" role="alert" hidden />
        <div class="field">
          <label for="token-input">{t.tokenLabel}</label>
          <p id="token-hint" class="hint">
            {t.tokenHint}
          </p>
          <input
            id="token-input"
            name="token"
            type="password"
            autocomplete="off"
            spellcheck={false}
            required
            aria-describedby="token-hint token-error"
          />
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            {t.tokenSubmit}
          </button>
        </div>
      </form>
    </section>
  );
}

export function WebhooksPanel({ t }: { t: Messages }) {
  return (
    <section id="webhooks-panel" aria-labelledby="page-heading" hidden>
      <div class="panel-head">
        <h1 id="page-heading">{t.crumbCouplings}</h1>
        <div class="actions">
          <button type="button" id="new-webhook" class="primary">
            {t.newWebhook}
          </button>
          <button type="button" id="sign-out">
            {t.signOut}
          </button>
        </div>
      </div>
      <p class="intro">{t.intro}</p>
      <p id="status" class="status" role="status" aria-live="polite" />
      <ul id="webhook-list" class="webhook-list" aria-label={t.webhooksLabel} aria-busy="true" />
      <p id="list-empty" class="empty" hidden>
        {t.listEmpty}
      </p>
    </section>
  );
}
