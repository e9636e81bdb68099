import { CsrfField, ErrorSummary, SelectField, TextField, type FieldErrors, type Option } from '../platform/ui/forms.tsx';
import { FilAriane } from '../platform/ui/fil-ariane.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { CHAMPS_DOCUMENT, CHAMPS_ENGAGEMENT, LIBELLES_CHAMPS, MAX_JALONS, type ChampEngagement, type SaisieEngagement } from './engagement-form.ts';
import { hrefEngagement, hrefModifier, HREF_NOUVEAU } from './engagement-views.tsx';
import { TextAreaField } from './fiche-saisie-views.tsx';
import { LIBELLES_NATURE, LIBELLES_SENS, NATURES_CIBLE, type NatureCible, type Sens } from './model.ts';

// The direction de projet's form of a commitment: a new one, one recorded in Pilotis (every field), or
// one printed in the documents (its owner, its items of the tree, its milestones). A save that comes
// from an outdated page is shown beside the commitment as it is now, with nothing typed lost.

export type FormulaireEngagement = {
  /** Absent for a new commitment. */
  engagement: { ref: string; intitule: string; document: boolean } | null;
  values: SaisieEngagement;
  errors: FieldErrors;
  organisations: Option[];
  /** The commitment as it is now, when it changed since the page was opened. */
  conflit: SaisieEngagement | null;
};

const LIBELLE_SENS_COURT: Record<Sens, string> = { hausse: 'À la hausse', baisse: 'À la baisse' };

const AIDES: Partial<Record<ChampEngagement, string>> = {
  intitule: 'Ce à quoi le porteur s’engage, en une phrase.',
  unite: 'Par exemple %, nombre de bénéficiaires, €.',
  reference: 'La situation de départ, par exemple 18 % en 2014.',
  cible: 'La valeur à atteindre, par exemple 25 %.',
  echeance: 'Par exemple 2020 ou décembre 2017.',
  noeuds: 'Les références des éléments, telles que dans l’adresse de leur page (/contrat/arbre/…) : par exemple 1.2 ou 1.2.3/P1/OO1/A1/L3. Séparez-les par des virgules ou des retours à la ligne.',
  jalons: `Un jalon par ligne, la date puis la valeur attendue : par exemple « 2017-12-31 : 50 % ». Au plus ${MAX_JALONS}.`,
  source: 'La décision qui fonde l’engagement, par exemple « Décision du comité de pilotage du 12 mai 2016 ». Laissé vide, l’engagement est cité comme saisi dans Pilotis.',
};

function ChampTexte(props: { champ: ChampEngagement; v: SaisieEngagement; errors: FieldErrors; required?: boolean }) {
  const { champ } = props;
  const libelle = props.required ? `${LIBELLES_CHAMPS[champ]} (obligatoire)` : LIBELLES_CHAMPS[champ];
  return <TextField name={champ} label={libelle} value={props.v[champ]} errors={props.errors} required={props.required} {...(AIDES[champ] ? { hint: AIDES[champ] } : {})} />;
}

function ChampLong(props: { champ: ChampEngagement; v: SaisieEngagement; errors: FieldErrors; maxLength: number }) {
  const { champ } = props;
  return <TextAreaField name={champ} label={LIBELLES_CHAMPS[champ]} value={props.v[champ]} errors={props.errors} maxLength={props.maxLength} {...(AIDES[champ] ? { hint: AIDES[champ] } : {})} />;
}

function ChampSens(props: { v: SaisieEngagement; errors: FieldErrors }) {
  const error = props.errors.sens;
  return (
    <fieldset class={error ? 'field field-error' : 'field'} aria-describedby={error ? 'erreur-sens' : undefined}>
      <legend>{LIBELLES_CHAMPS.sens}</legend>
      {error && (
        <p class="error-message" id="erreur-sens">
          <span class="visually-hidden">Erreur : </span>
          {error}
        </p>
      )}
      {(['hausse', 'baisse'] as const).map((s, i) => {
        const id = i === 0 ? 'champ-sens' : `champ-sens-${s}`;
        return (
          <div class="field-checkbox">
            <input type="radio" id={id} name="sens" value={s} checked={props.v.sens === s} />
            <label for={id}>{`${LIBELLE_SENS_COURT[s]} : ${LIBELLES_SENS[s].toLowerCase()}`}</label>
          </div>
        );
      })}
    </fieldset>
  );
}

/** A field's value as a reader reads it: an organisation's name, a kind of target's label. */
function lisible(champ: ChampEngagement, valeur: string, organisations: Option[]): string {
  if (!valeur.trim()) return '(vide)';
  if (champ === 'organisation') return organisations.find((o) => o.value === valeur)?.label ?? valeur;
  if (champ === 'nature') return LIBELLES_NATURE[valeur as NatureCible] ?? valeur;
  if (champ === 'sens') return LIBELLES_SENS[valeur as Sens] ?? valeur;
  return valeur;
}

const normal = (v: string) => v.replace(/\s+/g, ' ').trim();

/** A multi-line value (milestones, items of the tree) keeps its lines. */
function Lignes(props: { texte: string }) {
  return <>{props.texte.split(/\r?\n/).map((l, i) => (i ? [<br />, l] : l))}</>;
}

function Conflit(props: { actuel: SaisieEngagement; saisi: SaisieEngagement; champs: readonly ChampEngagement[]; organisations: Option[] }) {
  const lignes = props.champs.filter((c) => normal(props.actuel[c]) !== normal(props.saisi[c]));
  return (
    <>
      <div class="error-summary" role="alert" aria-labelledby="titre-conflit" tabIndex={-1} id="conflit" autofocus>
        <h2 id="titre-conflit">Cet engagement a été modifié depuis que vous avez ouvert la page</h2>
        <p>
          Votre saisie n’a pas été enregistrée, mais rien n’est perdu : le formulaire contient ce que vous avez saisi. Comparez-le aux valeurs actuelles
          ci-dessous, reprenez ce qu’il faut garder, puis enregistrez à nouveau.
        </p>
      </div>
      {lignes.length > 0 && (
        <TableWrap label="Valeurs actuelles et votre saisie">
          <table>
            <caption>Les valeurs actuelles de l’engagement et votre saisie, non enregistrée</caption>
            <thead>
              <tr>
                <th scope="col">Champ</th>
                <th scope="col">Valeur actuelle</th>
                <th scope="col">Votre saisie</th>
              </tr>
            </thead>
            <tbody>
              {lignes.map((c) => (
                <tr>
                  <th scope="row">{LIBELLES_CHAMPS[c]}</th>
                  <td>
                    <Lignes texte={lisible(c, props.actuel[c], props.organisations)} />
                  </td>
                  <td>
                    <Lignes texte={lisible(c, props.saisi[c], props.organisations)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}

export function EngagementFormPage(props: { f: FormulaireEngagement; csrf: string }) {
  const { engagement: e, values: v, errors, organisations, conflit } = props.f;
  const document = e?.document ?? false;
  const champs: readonly ChampEngagement[] = document ? CHAMPS_DOCUMENT : CHAMPS_ENGAGEMENT;
  const retour = e ? hrefEngagement(e.ref) : '/engagements';
  return (
    <>
      <FilAriane miettes={[{ label: 'Engagements', href: '/engagements' }, ...(e ? [{ label: e.ref, href: hrefEngagement(e.ref) }] : []), { label: e ? 'Modifier' : 'Nouvel engagement' }]} />
      <h1>{e ? `Modifier l’engagement ${e.ref}` : 'Enregistrer un engagement'}</h1>
      {conflit && <Conflit actuel={conflit} saisi={v} champs={champs} organisations={organisations} />}
      <ErrorSummary errors={errors} labels={LIBELLES_CHAMPS} />
      {e && <p class="lead">{e.intitule}</p>}
      {document ? (
        <p>
          Les chiffres de cet engagement et ses sources sont ceux que les documents du contrat impriment : ils ne se modifient pas ; seuls le porteur, les
          éléments de l’arbre et les jalons se tiennent à jour ici.
        </p>
      ) : (
        !e && <p>Un engagement décidé hors des documents du contrat, par le comité de pilotage par exemple. Il reçoit une référence « saisie-… ».</p>
      )}
      <form method="post" action={e ? hrefModifier(e.ref) : HREF_NOUVEAU} novalidate>
        <CsrfField token={props.csrf} />
        {e && <input type="hidden" name="avant" value={v.avant} />}
        {!document && <ChampTexte champ="intitule" v={v} errors={errors} required />}
        <SelectField name="organisation" label={LIBELLES_CHAMPS.organisation} options={organisations} placeholder="Aucun porteur désigné" value={v.organisation} errors={errors} />
        {!document && (
          <>
            <ChampTexte champ="dispositif" v={v} errors={errors} />
            <ChampTexte champ="thematique" v={v} errors={errors} />
            <ChampTexte champ="indicateur" v={v} errors={errors} />
            <ChampTexte champ="unite" v={v} errors={errors} />
            <ChampSens v={v} errors={errors} />
            <SelectField
              name="nature"
              label={`${LIBELLES_CHAMPS.nature} (obligatoire)`}
              options={NATURES_CIBLE.map((n) => ({ value: n, label: LIBELLES_NATURE[n] }))}
              placeholder="Choisissez une nature"
              value={v.nature}
              errors={errors}
              required
            />
            <ChampTexte champ="reference" v={v} errors={errors} />
            <ChampTexte champ="cible" v={v} errors={errors} />
            <ChampTexte champ="echeance" v={v} errors={errors} />
          </>
        )}
        <ChampLong champ="noeuds" v={v} errors={errors} maxLength={6000} />
        <ChampLong champ="jalons" v={v} errors={errors} maxLength={12000} />
        {!document && <ChampLong champ="source" v={v} errors={errors} maxLength={2000} />}
        <div class="actions">
          <button type="submit" class="button">
            {e ? 'Enregistrer les modifications' : 'Enregistrer l’engagement'}
          </button>
          <a href={retour}>Annuler</a>
        </div>
      </form>
    </>
  );
}
