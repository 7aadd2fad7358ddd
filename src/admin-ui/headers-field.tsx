// The Custom headers field of the webhook form: name/value rows the script adds and removes
// (client/header-rows.js). Saved values come back hidden; "Reveal values" fetches them.
import type { Messages } from "./i18n";

export function HeadersField({ t }: { t: Messages }) {
  return (
    <fieldset id="wf-headers" class="field" aria-describedby="wf-headers-hint wf-headers-error">
      <legend>{t.fieldHeaders}</legend>
      <p id="wf-headers-hint" class="hint">
        {t.fieldHeadersHint}
      </p>
      <div class="header-head" aria-hidden="true">
        <span>{t.headerName}</span>
        <span>{t.headerValue}</span>
      </div>
      <ol id="wf-header-rows" class="header-rows" />
      <p id="wf-headers-error" class="field-error" data-error-for="headers" hidden />
      <div class="actions">
        <button type="button" id="wf-header-add">
          {t.headerAdd}
        </button>
        <button type="button" id="wf-headers-reveal" hidden>
          {t.headersReveal}
        </button>
      </div>
      <template id="tpl-header-row">
        <li class="header-row">
          <input
            class="header-name"
            data-part="name"
            aria-label={t.headerName}
            aria-describedby="wf-header-__ID__-error"
            maxlength={100}
            autocomplete="off"
            spellcheck={false}
            translate="no"
          />
          <input
            class="header-value"
            data-part="value"
            aria-label={t.headerValue}
            aria-describedby="wf-header-__ID__-error"
            autocomplete="off"
            spellcheck={false}
            translate="no"
          />
          <button type="button" data-part="remove">
            {t.headerRemove}
          </button>
          <p
            id="wf-header-__ID__-error"
            class="field-error"
            data-part="error"
            data-error-for="header-row"
            hidden
          />
        </li>
      </template>
    </fieldset>
  );
}
