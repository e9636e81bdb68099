import type { ComponentChildren } from 'preact';
import type { z } from 'zod';

/** Field name → first message, from a zod error, for a form re-rendered with its errors. */
export type FieldErrors = Record<string, string>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_');
    out[key] ??= issue.message;
  }
  return out;
}

/** The error summary at the top of a form: focusable, with links to each field in error. */
export function ErrorSummary(props: { errors: FieldErrors; labels: Record<string, string> }) {
  const entries = Object.entries(props.errors);
  if (!entries.length) return null;
  return (
    // autofocus: the page opens on the summary, with or without JavaScript, so that it is read first.
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} id="erreurs" autofocus>
      <h2 id="error-summary-title">
        {entries.length === 1 ? 'Le formulaire contient une erreur' : `Le formulaire contient ${entries.length} erreurs`}
      </h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            {field in props.labels ? <a href={`#champ-${field}`}>{`${props.labels[field]} : ${message}`}</a> : message}
          </li>
        ))}
      </ul>
    </div>
  );
}

type FieldProps = {
  name: string;
  label: string;
  errors: FieldErrors;
  hint?: string;
  children?: ComponentChildren;
};

function describedBy(name: string, hint: string | undefined, error: string | undefined): string | undefined {
  const ids = [hint ? `aide-${name}` : null, error ? `erreur-${name}` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldFrame(props: FieldProps & { control: ComponentChildren }) {
  const error = props.errors[props.name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={`champ-${props.name}`}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`aide-${props.name}`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="error-message" id={`erreur-${props.name}`}>
          <span class="visually-hidden">Erreur : </span>
          {error}
        </p>
      )}
      {props.control}
    </div>
  );
}

export function TextField(
  props: Omit<FieldProps, 'children'> & { value?: string | undefined; type?: string; autocomplete?: string; required?: boolean },
) {
  const error = props.errors[props.name];
  return (
    <FieldFrame
      {...props}
      control={
        <input
          id={`champ-${props.name}`}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.value ?? ''}
          autocomplete={props.autocomplete}
          required={props.required}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy(props.name, props.hint, error)}
        />
      }
    />
  );
}

export function TextAreaField(props: Omit<FieldProps, 'children'> & { value?: string | undefined; maxLength: number; rows?: number; required?: boolean }) {
  const error = props.errors[props.name];
  return (
    <FieldFrame
      {...props}
      control={
        <textarea
          id={`champ-${props.name}`}
          name={props.name}
          rows={props.rows ?? 4}
          maxLength={props.maxLength}
          required={props.required}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy(props.name, props.hint, error)}
        >
          {props.value ?? ''}
        </textarea>
      }
    />
  );
}

export type Option = { value: string; label: string };

export function SelectField(
  props: Omit<FieldProps, 'children'> & { value?: string | undefined; options: Option[]; placeholder?: string; required?: boolean },
) {
  const error = props.errors[props.name];
  return (
    <FieldFrame
      {...props}
      control={
        <select
          id={`champ-${props.name}`}
          name={props.name}
          required={props.required}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy(props.name, props.hint, error)}
        >
          {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
          {props.options.map((o) => (
            <option value={o.value} selected={o.value === props.value}>
              {o.label}
            </option>
          ))}
        </select>
      }
    />
  );
}

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}
