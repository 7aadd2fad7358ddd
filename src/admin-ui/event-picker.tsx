// The Events field of the webhook form: the chosen events, a search over the account's catalog
// (GET /v1/events) as a combobox over a listbox of matches (ArrowDown/ArrowUp move through them,
// Enter or a click picks one), and a button to add an id the catalog does not have. The script
// (client/event-picker.js) fills it in; the option and chip templates are cloned.
import type { Messages } from "./i18n";

export function EventPicker({ t }: { t: Messages }) {
  return (
    <fieldset
      id="wf-event_ids"
      class="field event-picker"
      aria-describedby="wf-event_ids-hint wf-event_ids-error"
    >
      <legend>{t.fieldEvents}</legend>
      <p id="wf-event_ids-hint" class="hint">
        {t.fieldEventsHint}
      </p>
      <ul id="wf-events-chosen" class="chips" aria-label={t.eventsChosen} />
      <p id="wf-events-none" class="empty">
        {t.eventsNoneChosen}
      </p>
      <div class="event-search">
        <label for="wf-event-search">{t.eventSearch}</label>
        <input
          id="wf-event-search"
          type="search"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded="false"
          data-field="event_ids"
          placeholder={t.eventSearchPlaceholder}
          autocomplete="off"
          spellcheck={false}
          aria-controls="wf-event-options"
          aria-describedby="wf-event-status wf-event_ids-error"
        />
      </div>
      <div
        id="wf-event-options"
        class="event-options"
        role="listbox"
        aria-multiselectable="true"
        aria-label={t.eventResults}
      />
      <p id="wf-event-status" class="hint" role="status" aria-live="polite" />
      <div class="actions">
        <button type="button" id="wf-event-add" hidden />
        <button type="button" id="wf-event-more" hidden>
          {t.eventsMore}
        </button>
      </div>
      <p id="wf-event_ids-error" class="field-error" data-error-for="event_ids" hidden />
      <template id="tpl-event-option">
        <div id="wf-event-option-__ID__" role="option" aria-selected="false" tabIndex={-1}>
          <span class="event-check" aria-hidden="true" />
          <span class="event-name" translate="no" data-slot="name" />{" "}
          <span class="event-meta" translate="no" data-slot="meta" />
        </div>
      </template>
      <template id="tpl-event-chip">
        <li class="chip">
          <span class="chip-label" translate="no" data-slot="label" />{" "}
          <span class="chip-note" data-slot="note" />
          <button type="button" class="chip-remove" data-slot="remove">
            <span aria-hidden="true">×</span>
          </button>
        </li>
      </template>
    </fieldset>
  );
}
