// A webhook card's "Failed deliveries" panel and the <template> of one failed delivery in it:
// why it failed (superseded ones explained) or that it was delivered again, a button to send it
// again, and, expanded, its webhook-id, the body sent and the receiver's last answer.
import type { Messages } from "./i18n";

export function FailedPanel({ t }: { t: Messages }) {
  return (
    <details class="panel" data-slot="failed-panel">
      <summary>{t.failedHeading}</summary>
      <div class="panel-body stack">
        <div class="panel-toolbar">
          <p class="hint">{t.failedHint}</p>
          <button type="button" data-action="refresh-failed">
            {t.refresh}
          </button>
        </div>
        <p class="result" data-slot="failed-status" role="status" aria-live="polite" />
        <ol class="failed-list" data-slot="failed-list" />
        <p class="empty" data-slot="failed-empty" hidden>
          {t.failedEmpty}
        </p>
      </div>
    </details>
  );
}

/** What an expanded failed delivery shows: its webhook-id, the body sent, the last answer. */
function FailedDetail({ t }: { t: Messages }) {
  return (
    <div class="failed-detail">
      <p>
        <span class="label">{t.messageId}</span> <code data-slot="message-id" translate="no" />
      </p>
      <div class="failed-exchange">
        <section class="exchange">
          <h4>{t.failedSent}</h4>
          <pre data-slot="payload" translate="no" />
        </section>
        <section class="exchange">
          <h4>{t.failedLastResponse}</h4>
          <p data-slot="response-line" />
          <p class="hint" data-slot="response-raw" hidden>
            {t.sendErrorRaw} <code translate="no" data-slot="response-raw-text" />
          </p>
          <pre data-slot="response-body" translate="no" />
        </section>
      </div>
    </div>
  );
}

export function FailedEntryTemplate({ t }: { t: Messages }) {
  return (
    <template id="tpl-failed-entry">
      <li class="failed-entry">
        <details>
          <summary class="failed-text">
            <span class="line">
              <strong data-slot="reason-label" /> <span data-slot="summary" />
            </span>
            <span class="line hint" data-slot="reason" />
          </summary>
          <FailedDetail t={t} />
        </details>
        <button type="button" data-action="redeliver-failed">
          {t.redeliver}
        </button>
      </li>
    </template>
  );
}
