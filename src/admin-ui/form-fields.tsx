// Building blocks of the webhook form: a text field with its hint, and where an error shows.

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
