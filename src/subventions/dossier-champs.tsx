import type { FieldErrors } from '../platform/ui/forms.tsx';

// The fields of the forms of a file's page. Several forms share field names (a comment per funder, a
// motif per step): each field's id carries its form's prefix, so ids stay unique and the error summary
// links to the right one.

export type Saisie = {
  /** The form that was posted: 'message', 'annotation', 'complement', `avis-<financeurId>`, `etape-<etape>`. */
  formulaire: string;
  valeurs: Record<string, string>;
  /** Keyed by field id (`<formulaire>-<name>`). */
  erreurs: FieldErrors;
  /** Why the step could not be taken (the file changed meanwhile…). */
  refus: string | null;
};

export const idChamp = (formulaire: string, name: string) => `${formulaire}-${name}`;

/** The values typed in this form, when it is the one that came back with errors. */
export function valeursDe(saisie: Saisie | null, formulaire: string): Record<string, string> {
  return saisie?.formulaire === formulaire ? saisie.valeurs : {};
}

function describedBy(id: string, aide: string | undefined, erreur: string | undefined): string | undefined {
  return [aide ? `aide-${id}` : null, erreur ? `erreur-${id}` : null].filter(Boolean).join(' ') || undefined;
}

export function Erreur(props: { id: string; message: string | undefined }) {
  return props.message ? (
    <p class="error-message" id={`erreur-${props.id}`}>
      <span class="visually-hidden">Erreur : </span>
      {props.message}
    </p>
  ) : null;
}

type Champ = { formulaire: string; name: string; label: string; value: string | undefined; erreurs: FieldErrors; aide?: string | undefined; required?: boolean };

export function ChampTexteLong(props: Champ & { maxLength: number }) {
  const id = idChamp(props.formulaire, props.name);
  const erreur = props.erreurs[id];
  return (
    <div class={erreur ? 'field field-error' : 'field'}>
      <label for={`champ-${id}`}>{props.label}</label>
      {props.aide && (
        <p class="hint" id={`aide-${id}`}>
          {props.aide}
        </p>
      )}
      <Erreur id={id} message={erreur} />
      <textarea
        id={`champ-${id}`}
        name={props.name}
        rows={4}
        maxLength={props.maxLength}
        required={props.required}
        aria-invalid={erreur ? 'true' : undefined}
        aria-describedby={describedBy(id, props.aide, erreur)}
      >
        {props.value ?? ''}
      </textarea>
    </div>
  );
}

export function ChampTexte(props: Champ & { inputMode?: 'decimal' }) {
  const id = idChamp(props.formulaire, props.name);
  const erreur = props.erreurs[id];
  return (
    <div class={erreur ? 'field field-error' : 'field'}>
      <label for={`champ-${id}`}>{props.label}</label>
      {props.aide && (
        <p class="hint" id={`aide-${id}`}>
          {props.aide}
        </p>
      )}
      <Erreur id={id} message={erreur} />
      <input
        id={`champ-${id}`}
        name={props.name}
        type="text"
        inputMode={props.inputMode}
        value={props.value ?? ''}
        required={props.required}
        aria-invalid={erreur ? 'true' : undefined}
        aria-describedby={describedBy(id, props.aide, erreur)}
      />
    </div>
  );
}

export function ChoixRadio(props: Champ & { options: { value: string; label: string }[] }) {
  const id = idChamp(props.formulaire, props.name);
  const erreur = props.erreurs[id];
  return (
    <fieldset class={erreur ? 'field field-error' : 'field'} aria-describedby={erreur ? `erreur-${id}` : undefined}>
      <legend>{props.label}</legend>
      <Erreur id={id} message={erreur} />
      {props.options.map((o, i) => {
        // The first option carries the field's id: the error summary's link lands on it.
        const oid = i === 0 ? `champ-${id}` : `champ-${id}-${o.value}`;
        return (
          <div class="field-checkbox">
            <input type="radio" id={oid} name={props.name} value={o.value} checked={props.value === o.value} required={props.required} />
            <label for={oid}>{o.label}</label>
          </div>
        );
      })}
    </fieldset>
  );
}
