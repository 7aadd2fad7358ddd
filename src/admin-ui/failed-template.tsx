// A webhook card's "Failed deliveries" panel and the <template> of one failed delivery in it:
// why it failed (superseded ones explained), and a button to send it again.
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

export function FailedEntryTemplate({ t }: { t: Messages }) {
  return (
    <template id="tpl-failed-entry">
      <li class="failed-entry">
        <div class="failed-text">
          <p>
            <strong data-slot="reason-label" /> <span data-slot="summary" />
          </p>
          <p class="hint" data-slot="reason" />
        </div>
        <button type="button" data-action="redeliver-failed">
          {t.redeliver}
        </button>
      </li>
    </template>
  );
}
