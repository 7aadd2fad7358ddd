// Building blocks of the webhook form: a text field with its hint, a choice of radio buttons, and
// where an error shows.
import type { Child } from "hono/jsx";

/** Where an API error about `field` is shown; the script maps `errors[].path` to these. */
export function FieldError({ field }: { field: string }) {
  return <p id={`wf-${field}-error`} class="field-error" data-error-for={field} hidden />;
}

export function TextField(props: {
  field: string;
  label: string;
  hint: string;
  type?: string;
  maxlength?: number;
  inputmode?: "numeric";
}) {
  const { field } = props;
  return (
    <div class="field">
      <label for={`wf-${field}`}>{props.label}</label>
      <p id={`wf-${field}-hint`} class="hint">
        {props.hint}
      </p>
      <input
        id={`wf-${field}`}
        name={field}
        type={props.type ?? "text"}
        maxlength={props.maxlength}
        inputmode={props.inputmode}
        autocomplete="off"
        aria-describedby={`wf-${field}-hint wf-${field}-error`}
      />
      <FieldError field={field} />
    </div>
  );
}

/**
 * Radio buttons named `name` (default: `field`), the first checked, under a legend and an optional
 * hint; an API error about `field` shows below them, then anything that belongs to the choice.
 */
export function ChoiceField(props: {
  field: string;
  name?: string;
  legend: string;
  hint?: string;
  choices: [value: string, label: string][];
  id?: string;
  children?: Child;
}) {
  const { field } = props;
  const described = props.hint === undefined ? `wf-${field}-error` : `wf-${field}-hint wf-${field}-error`;
  return (
    <fieldset id={props.id} class="field" aria-describedby={described}>
      <legend>{props.legend}</legend>
      {props.hint !== undefined && (
        <p id={`wf-${field}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      <div class="choices">
        {props.choices.map(([value, label], index) => (
          <label>
            <input type="radio" name={props.name ?? field} value={value} checked={index === 0} /> {label}
          </label>
        ))}
      </div>
      <FieldError field={field} />
      {props.children}
    </fieldset>
  );
}
