// The "Log overview" panel of a webhook and the <template> of one logged request in it.
import type { Messages } from "./i18n";

const COLUMNS = [
  ["colOutcome", "outcome"],
  ["colTime", "time"],
  ["colAction", "action"],
  ["colEntity", "entity"],
  ["colAttempt", "attempt"],
  ["colStatus", "status"],
  ["colDuration", "duration"],
] as const;

export function LogPanel({ t }: { t: Messages }) {
  return (
    <details class="panel" data-slot="log-panel">
      <summary>{t.logHeading}</summary>
      <div class="panel-body stack">
        <div class="panel-toolbar">
          <p class="hint">{t.logHint}</p>
          <button type="button" data-action="refresh-log">
            {t.refresh}
          </button>
        </div>
        <p class="result" data-slot="log-status" role="status" aria-live="polite" />
        <div class="log-head" aria-hidden="true">
          {COLUMNS.map(([label]) => (
            <span>{t[label]}</span>
          ))}
        </div>
        <ol class="log-list" data-slot="log-list" />
        <p class="empty" data-slot="log-empty" hidden>
          {t.logEmpty}
        </p>
      </div>
    </details>
  );
}

function Exchange(props: { t: Messages; side: "request" | "response" }) {
  const { t, side } = props;
  return (
    <section class="exchange">
      <h4>{t[side]}</h4>
      <p class="mono" data-slot={`${side}-line`} translate="no" />
      {side === "response" && (
        <>
          <p data-slot="response-error" hidden />
          <p class="hint" data-slot="response-raw" hidden>
            {t.sendErrorRaw} <code translate="no" data-slot="response-raw-text" />
          </p>
        </>
      )}
      <div data-slot={`${side}-parts`}>
        <h5>{t.headers}</h5>
        <pre data-slot={`${side}-headers`} translate="no" />
        <h5>{t.body}</h5>
        <pre data-slot={`${side}-body`} translate="no" />
      </div>
    </section>
  );
}

export function LogEntryTemplate({ t }: { t: Messages }) {
  return (
    <template id="tpl-log-entry">
      <li class="log-entry">
        <details>
          <summary class="log-row">
            {COLUMNS.map(([label, slot]) => (
              <span class={`cell cell-${slot}`}>
                <span class="cell-label">{t[label]}</span> <span data-slot={slot} />
              </span>
            ))}
          </summary>
          <div class="log-detail">
            <Exchange t={t} side="request" />
            <Exchange t={t} side="response" />
          </div>
        </details>
        <button type="button" data-action="redeliver">
          {t.redeliver}
        </button>
      </li>
    </template>
  );
}
