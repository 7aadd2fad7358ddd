// The "New webhook" / "Edit webhook" form and the delete confirmation, as native modal dialogs.
import { ACTION_TYPES, ENTITY_TYPES, OPERATIONAL_TRIGGERS } from "../webhooks/triggers";
import { AuthField, SigningSchemeField } from "./credentials-fields";
import { EventPicker } from "./event-picker";
import { ChoiceField, FieldError, TextField } from "./form-fields";
import { HeadersField } from "./headers-field";
import type { MessageKey, Messages } from "./i18n";

function ActiveField({ t }: { t: Messages }) {
  return (
    <ChoiceField
      field="is_active"
      legend={t.fieldActive}
      choices={[
        ["true", t.active],
        ["false", t.inactive],
      ]}
    />
  );
}

/** News about the account's other webhooks: not part of a new webhook's default set. */
function OperationalTriggers({ t }: { t: Messages }) {
  return (
    <fieldset class="trigger-group operational" aria-describedby="wf-triggers-operational-hint">
      <legend>{t.triggerGroup_webhook}</legend>
      {OPERATIONAL_TRIGGERS.map((trigger) => (
        <label>
          <input type="checkbox" name="triggers" value={trigger} />{" "}
          {t[`action_${trigger.slice("webhook.".length)}` as MessageKey]}
        </label>
      ))}
      <p id="wf-triggers-operational-hint" class="hint">
        {t.triggersOperationalHint}
      </p>
    </fieldset>
  );
}

function TriggersField({ t }: { t: Messages }) {
  return (
    <fieldset id="wf-triggers" class="field" aria-describedby="wf-triggers-hint wf-triggers-error">
      <legend>{t.fieldTriggers}</legend>
      <p id="wf-triggers-hint" class="hint">
        {t.fieldTriggersHint}
      </p>
      <div class="trigger-groups">
        {ENTITY_TYPES.map((entity) => (
          <fieldset class="trigger-group">
            <legend>{t[`entity_${entity}`]}</legend>
            {ACTION_TYPES.map((action) => (
              <label>
                <input type="checkbox" name="triggers" value={`${entity}.${action}`} checked />{" "}
                {t[`action_${action}`]}
              </label>
            ))}
          </fieldset>
        ))}
        <OperationalTriggers t={t} />
      </div>
      <FieldError field="triggers" />
    </fieldset>
  );
}

export function WebhookDialog({ t }: { t: Messages }) {
  return (
    <dialog id="webhook-dialog" aria-labelledby="webhook-form-title">
      <form id="webhook-form" class="stack" novalidate>
        <h2 id="webhook-form-title" data-title-new={t.formNewTitle} data-title-edit={t.formEditTitle}>
          {t.formNewTitle}
        </h2>
        <p id="wf-_form-error" class="form-error" data-error-for="_form" role="alert" hidden />
        <TextField field="name" label={t.fieldName} hint={t.fieldNameHint} maxlength={100} />
        <ActiveField t={t} />
        <TextField field="url" label={t.fieldUrl} hint={t.fieldUrlHint} type="url" />
        <TriggersField t={t} />
        <EventPicker t={t} />
        <HeadersField t={t} />
        <TextField field="max_per_second" label={t.fieldPace} hint={t.fieldPaceHint} inputmode="numeric" />
        <SigningSchemeField t={t} />
        <AuthField t={t} />
        <div class="actions">
          <button type="submit" class="primary">
            {t.save}
          </button>
          <button type="button" data-action="close-dialog">
            {t.cancel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A question before an action that cannot be undone: `<id>-text` gets the script's words. */
export function ConfirmDialog(props: { id: string; title: string; confirm: string; t: Messages }) {
  const { id, t } = props;
  return (
    <dialog id={id} aria-labelledby={`${id}-title`} aria-describedby={`${id}-text`}>
      <form method="dialog" class="stack">
        <h2 id={`${id}-title`}>{props.title}</h2>
        <p id={`${id}-text`} />
        <div class="actions">
          <button type="submit" value="confirm" class="danger">
            {props.confirm}
          </button>
          <button type="submit" value="cancel" autofocus>
            {t.cancel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
