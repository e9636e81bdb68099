import type { ComponentChildren } from 'preact';
import { CsrfField, ErrorSummary, TextAreaField, TextField, type FieldErrors } from '../platform/ui/forms.tsx';
import { FilAriane } from '../platform/ui/fil-ariane.tsx';
import { LIBELLES_CAMPAGNE, LIBELLES_FINANCEUR, LIBELLES_GROUPE } from './campagne-form.ts';
import { hrefCampagne, hrefConfiguration, HREF_NOUVELLE, nomTerritoire, type TerritoireLu } from './campagne-views.tsx';
import type { CampagneAapRow } from './store.ts';

// The fields of the direction de projet's forms of a call for projects (a campaign's general fields, a
// funder, a team, a group of checkboxes), the page of a new campaign and the page that changes one element.
const AIDE_DATE = 'Au format AAAA-MM-JJ, par exemple 2021-01-04.';

export type Saisie = Record<string, string>;


export function ChampsGeneraux(props: { v: Saisie; errors: FieldErrors }) {
  const { v, errors } = props;
  return (
    <>
      <TextField name="titre" label={`${LIBELLES_CAMPAGNE.titre} (obligatoire)`} value={v.titre} errors={errors} required />
      <TextField name="ouverture" type="date" label={`${LIBELLES_CAMPAGNE.ouverture} (obligatoire)`} hint={AIDE_DATE} value={v.ouverture} errors={errors} required />
      <TextField name="cloture" type="date" label={`${LIBELLES_CAMPAGNE.cloture} (obligatoire)`} hint={`Les demandes sont reçues jusqu’à la fin de ce jour. ${AIDE_DATE}`} value={v.cloture} errors={errors} required />
      <TextAreaField name="presentation" label={LIBELLES_CAMPAGNE.presentation} hint="Ce que l’appel à projets finance, pour qui ; une ligne vide sépare les paragraphes." value={v.presentation ?? ''} errors={errors} maxLength={10000} />
    </>
  );
}

export function NouvellePage(props: { v: Saisie; errors: FieldErrors; csrf: string }) {
  const { v, errors } = props;
  return (
    <>
      <FilAriane miettes={[{ label: 'Appels à projets', href: '/appels-a-projets' }, { label: 'Nouvel appel à projets' }]} />
      <h1>Nouvel appel à projets</h1>
      <ErrorSummary errors={errors} labels={LIBELLES_CAMPAGNE} />
      <p>Une fois l’appel à projets créé, vous choisirez ses priorités, ses territoires, ses financeurs et ses équipes d’instruction.</p>
      <form method="post" action={HREF_NOUVELLE} novalidate>
        <CsrfField token={props.csrf} />
        <TextField name="annee" label={`${LIBELLES_CAMPAGNE.annee} (obligatoire)`} hint="Une seule campagne par année, par exemple 2021." value={v.annee} errors={errors} required />
        <ChampsGeneraux v={v} errors={errors} />
        <div class="actions">
          <button type="submit" class="button">
            Créer l’appel à projets
          </button>
          <a href="/appels-a-projets">Annuler</a>
        </div>
      </form>
    </>
  );
}

export type Case = { value: string; label: string };

/** A group of checkboxes in its fieldset; the first box carries the id the error summary links to. */
export function Cases(props: { name: string; legend: ComponentChildren; cases: Case[]; coches: string[]; error?: string | undefined; hint?: string; prefixe?: string }) {
  const ids = [props.hint ? `aide-${props.name}` : null, props.error ? `erreur-${props.name}` : null].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset class={props.error ? 'field field-error' : 'field'} aria-describedby={ids}>
      <legend>{props.legend}</legend>
      {props.hint && (
        <p class="hint" id={`aide-${props.name}`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error-message" id={`erreur-${props.name}`}>
          <span class="visually-hidden">Erreur : </span>
          {props.error}
        </p>
      )}
      {props.cases.map((c, i) => {
        const id = `champ-${props.name}${props.prefixe ?? ''}${i === 0 && !props.prefixe ? '' : `-${i}`}`;
        return (
          <div class="field-checkbox">
            <input type="checkbox" id={id} name={props.name} value={c.value} checked={props.coches.includes(c.value)} />
            <label for={id}>{c.label}</label>
          </div>
        );
      })}
    </fieldset>
  );
}

export function ChampsFinanceur(props: { v: Saisie; errors: FieldErrors }) {
  const { v, errors } = props;
  return (
    <>
      <TextField name="code" label={`${LIBELLES_FINANCEUR.code} (obligatoire)`} hint="Un nom court, en minuscules et tirets, par exemple etat-p147 ou ville." value={v.code} errors={errors} required />
      <TextField name="nom" label={`${LIBELLES_FINANCEUR.nom} (obligatoire)`} hint="Par exemple État — programme 147, Ville de Paris." value={v.nom} errors={errors} required />
      <TextField name="service" label={LIBELLES_FINANCEUR.service} value={v.service} errors={errors} />
      <TextField name="siret" label={LIBELLES_FINANCEUR.siret} hint="Facultatif : le SIRET que l’export des données ouvertes cite comme attribuant. 14 chiffres." value={v.siret} errors={errors} />
      <TextField name="enveloppe" label={`${LIBELLES_FINANCEUR.enveloppe} (obligatoire)`} hint="Par exemple 150 000 ou 1 250,50." value={v.enveloppe} errors={errors} required />
    </>
  );
}

export function ChampsGroupe(props: { v: Saisie; coches: string[]; errors: FieldErrors; eligibles: TerritoireLu[] }) {
  const { v, errors } = props;
  return (
    <>
      <TextField name="nomGroupe" label={`${LIBELLES_GROUPE.nomGroupe} (obligatoire)`} hint="Par exemple Équipe Nord — 18e arrondissement." value={v.nomGroupe} errors={errors} required />
      <Cases
        name="territoiresGroupe"
        legend={`${LIBELLES_GROUPE.territoiresGroupe} (au moins un)`}
        hint="Les dossiers de ces quartiers vont à cette équipe."
        cases={props.eligibles.map((t) => ({ value: t.id, label: nomTerritoire(t) }))}
        coches={props.coches}
        error={errors.territoiresGroupe}
      />
      <TextAreaField name="membres" label={LIBELLES_GROUPE.membres} hint="Une personne par ligne, avec sa fonction : chef ou cheffe de projet, délégué ou déléguée du préfet…" value={v.membres ?? ''} errors={errors} maxLength={2000} />
    </>
  );
}

export function ElementPage(props: { c: CampagneAapRow; titre: string; action: string; errors: FieldErrors; labels: Record<string, string>; csrf: string; children: ComponentChildren }) {
  const { c } = props;
  return (
    <>
      <FilAriane
        miettes={[
          { label: 'Appels à projets', href: '/appels-a-projets' },
          { label: String(c.annee), href: hrefCampagne(c.annee) },
          { label: 'Configuration', href: hrefConfiguration(c.annee) },
          { label: props.titre },
        ]}
      />
      <h1>{props.titre}</h1>
      <ErrorSummary errors={props.errors} labels={props.labels} />
      <form method="post" action={props.action} novalidate>
        <CsrfField token={props.csrf} />
        {props.children}
        <div class="actions">
          <button type="submit" class="button">
            Enregistrer les modifications
          </button>
          <a href={hrefConfiguration(c.annee)}>Annuler</a>
        </div>
      </form>
    </>
  );
}
