// What waits for a webhook, on its card: how many deliveries are pending, the first ones (a
// retry with its next attempt and last answer, one held behind an earlier change of its record,
// one waiting its turn, one on its way), more on demand, and Retry now. Hidden while none waits.
import type { Messages } from "./i18n";

export function PendingSection({ t }: { t: Messages }) {
  return (
    <section class="pending" data-slot="pending" aria-labelledby="wh-__ID__-pending" hidden>
      <div class="pending-head">
        <div>
          <h3 id="wh-__ID__-pending">{t.pendingHeading}</h3>
          <p data-slot="pending-count" />
        </div>
        <button
          type="button"
          data-action="retry-pending"
          data-slot="retry-pending"
          aria-describedby="wh-__ID__-retry-hint"
        >
          {t.retryNow}
        </button>
      </div>
      <p id="wh-__ID__-retry-hint" class="hint" data-slot="retry-hint">
        {t.retryNowHint}
      </p>
      <ol class="pending-list" data-slot="pending-list" aria-label={t.pendingList} />
      <button type="button" data-action="more-pending" data-slot="more-pending" hidden>
        {t.pendingMore}
      </button>
    </section>
  );
}

export function PendingEntryTemplate() {
  return (
    <template id="tpl-pending-entry">
      <li class="pending-entry">
        <div class="pending-text">
          <p>
            <strong data-slot="state" /> <span data-slot="summary" />
          </p>
          <p class="hint" data-slot="detail" />
        </div>
        <code class="message-id" data-slot="message-id" translate="no" />
      </li>
    </template>
  );
}
