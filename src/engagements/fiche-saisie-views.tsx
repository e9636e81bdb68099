import { CsrfField, TextField, type FieldErrors } from '../platform/ui/forms.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { TRANSITIONS_FICHE } from './model.ts';
import {
  CHAMPS_MESURE,
  CHAMPS_TEXTE,
  LIBELLES_PERIMETRE,
  LIBELLES_TEXTE,
  MAX_TEXTE,
  nomChamp,
  nomMesure,
  PERIMETRES,
  saisieDeFiche,
  type EtapeDirection,
  type SaisieFiche,
  type SaisieMesure,
} from './fiche-form.ts';
import { hrefFiche, jourFr } from './campagne-views.tsx';
import type { CampagneRow, FicheComplete, MesureRow } from './store.ts';
import { momentParis } from '../platform/dates.ts';

// Filling in a sheet (the form, and what was typed when it could not be saved) and the direction's decisions.

export type EtatSaisie = {
  values: SaisieFiche;
  errors: FieldErrors;
  /** Someone saved the sheet meanwhile: their version, to set beside what was typed. */
  conflit: FicheComplete | null;
  /** Why what was typed could not be saved (entry closed meanwhile…). */
  refus: string | null;
  /** Whether the form is shown: entry is open for this person. */
  formulaire: boolean;
};
export type EtatDecision = { etapes: EtapeDirection[]; values: Partial<Record<EtapeDirection, string>>; errors: FieldErrors };


function describedBy(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  return [hint ? `aide-${id}` : null, error ? `erreur-${id}` : null].filter(Boolean).join(' ') || undefined;
}

function Erreur(props: { id: string; message: string | undefined }) {
  return props.message ? (
    <p class="error-message" id={`erreur-${props.id}`}>
      <span class="visually-hidden">Erreur : </span>
      {props.message}
    </p>
  ) : null;
}

/** A textarea; `id` names it in the error summary when two forms of the page post the same field. */
export function TextAreaField(props: { name: string; id?: string; label: string; value: string; errors: FieldErrors; hint?: string; maxLength: number; required?: boolean }) {
  const id = props.id ?? props.name;
  const error = props.errors[id];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={`champ-${id}`}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`aide-${id}`}>
          {props.hint}
        </p>
      )}
      <Erreur id={id} message={error} />
      <textarea
        id={`champ-${id}`}
        name={props.name}
        rows={5}
        maxLength={props.maxLength}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, error)}
      >
        {props.value}
      </textarea>
    </div>
  );
}

function MesureFieldset(props: { m: MesureRow; v: SaisieMesure; errors: FieldErrors }) {
  const { m, v, errors } = props;
  const n = (c: keyof typeof CHAMPS_MESURE) => nomChamp(c, m.rang);
  const quantitative = m.nature !== 'qualitatif' && m.nature !== 'jalon';
  const perimetre = n('perimetre');
  const provisoire = n('provisoire');
  // A date printed in a document ("avril 2016") does not fit a date field: it is said, and kept unless replaced.
  const dateImprimee = m.dateResultat && !/^\d{4}-\d{2}-\d{2}$/.test(m.dateResultat) ? m.dateResultat : null;
  return (
    <fieldset class="field">
      <legend>{nomMesure(m)}</legend>
      <p class="hint">
        Référence : {m.reference ?? 'non renseignée'} ; cible : {m.cible ?? 'non renseignée'}.
      </p>
      <TextField
        name={n('resultat')}
        label={CHAMPS_MESURE.resultat}
        hint={quantitative ? 'Un chiffre, par exemple 18,5 % ou 2 500.' : 'Le résultat en quelques mots, ou la date du jalon.'}
        value={v.resultat}
        errors={errors}
      />
      <TextField
        name={n('dateResultat')}
        type="date"
        label={CHAMPS_MESURE.dateResultat}
        {...(dateImprimee ? { hint: `Date écrite dans le document : « ${dateImprimee} ». Elle est gardée si vous laissez ce champ vide.` } : {})}
        value={/^\d{4}-\d{2}-\d{2}$/.test(v.dateResultat) ? v.dateResultat : ''}
        errors={errors}
      />
      <div class={errors[provisoire] ? 'field field-checkbox field-error' : 'field field-checkbox'}>
        <Erreur id={provisoire} message={errors[provisoire]} />
        <label for={`champ-${provisoire}`}>
          <input type="checkbox" id={`champ-${provisoire}`} name={provisoire} value="oui" checked={v.provisoire} /> {CHAMPS_MESURE.provisoire}
        </label>
      </div>
      <fieldset class={errors[perimetre] ? 'field field-error' : 'field'} aria-describedby={errors[perimetre] ? `erreur-${perimetre}` : undefined}>
        <legend>{CHAMPS_MESURE.perimetre}</legend>
        <Erreur id={perimetre} message={errors[perimetre]} />
        {[{ value: '', label: 'Non précisé' }, ...PERIMETRES.map((p) => ({ value: p, label: LIBELLES_PERIMETRE[p] }))].map((o, i) => (
          <div class="field-checkbox">
            <input type="radio" id={i === 0 ? `champ-${perimetre}` : `champ-${perimetre}-${o.value}`} name={perimetre} value={o.value} checked={v.perimetre === o.value} />
            <label for={i === 0 ? `champ-${perimetre}` : `champ-${perimetre}-${o.value}`}>{o.label}</label>
          </div>
        ))}
      </fieldset>
      <TextField
        name={n('tauxDeclare')}
        label={`${CHAMPS_MESURE.tauxDeclare} (facultatif)`}
        hint="Le taux tel que vous le calculez, par exemple 85 %. Pilotis calcule aussi le sien et l’affiche à côté."
        value={v.tauxDeclare}
        errors={errors}
      />
    </fieldset>
  );
}

export function SaisieFormulaire(props: { campagne: CampagneRow; fiche: FicheComplete; saisie: EtatSaisie; csrf: string }) {
  const { campagne: c, fiche: f, saisie } = props;
  if (!saisie.formulaire) return null;
  return (
    <section class="card" aria-labelledby="titre-saisie">
      <h2 id="titre-saisie">Remplir la fiche</h2>
      <p>
        Enregistrez le brouillon autant de fois que nécessaire, puis soumettez la fiche à la direction de projet.
        {f.rouverte ? ' La direction de projet a rouvert la saisie de cette fiche.' : ` Saisie ouverte jusqu’au ${jourFr(c.echeance)} inclus.`}
      </p>
      <form method="post" action={hrefFiche(c.annee, f.numero)} novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="version" value={saisie.values.version} />
        {f.mesures.map((m) => (
          <MesureFieldset m={m} v={saisie.values.mesures[m.rang]!} errors={saisie.errors} />
        ))}
        {CHAMPS_TEXTE.map((champ) => (
          <TextAreaField name={champ} label={LIBELLES_TEXTE[champ]} value={saisie.values.textes[champ]} errors={saisie.errors} maxLength={MAX_TEXTE} />
        ))}
        <div class="actions">
          <button type="submit" name="action" value="enregistrer" class="button button-secondary">
            {TRANSITIONS_FICHE.enregistrer.libelle}
          </button>
          <button type="submit" name="action" value="soumettre" class="button">
            Soumettre
          </button>
        </div>
        <p class="hint">Pour donner le résultat sur un autre périmètre (Paris, QPV) ou à une autre date, ajoutez une mesure : le brouillon est enregistré d’abord.</p>
        <button type="submit" name="action" value="ajouter_mesure" class="button button-secondary">
          Ajouter une mesure
        </button>
      </form>
    </section>
  );
}

type LigneComparee = { champ: string; enregistre: string; saisi: string };

/** The fields where what was typed differs from the sheet as saved. */
function differences(f: FicheComplete, saisi: SaisieFiche): LigneComparee[] {
  const enregistre = saisieDeFiche(f);
  const out: LigneComparee[] = [];
  const oui = (b: boolean) => (b ? 'oui' : 'non');
  const perimetre = (p: string) => LIBELLES_PERIMETRE[p as keyof typeof LIBELLES_PERIMETRE] ?? 'Non précisé';
  for (const m of f.mesures) {
    const a = enregistre.mesures[m.rang]!;
    const b = saisi.mesures[m.rang];
    if (!b) continue;
    const paires: [string, string, string][] = [
      [CHAMPS_MESURE.resultat, a.resultat, b.resultat],
      [CHAMPS_MESURE.dateResultat, a.dateResultat, b.dateResultat],
      [CHAMPS_MESURE.provisoire, oui(a.provisoire), oui(b.provisoire)],
      [CHAMPS_MESURE.perimetre, perimetre(a.perimetre), perimetre(b.perimetre)],
      [CHAMPS_MESURE.tauxDeclare, a.tauxDeclare, b.tauxDeclare],
    ];
    for (const [libelle, x, y] of paires) if (x.trim() !== y.trim()) out.push({ champ: `${nomMesure(m)} : ${libelle}`, enregistre: x, saisi: y });
  }
  for (const c of CHAMPS_TEXTE) {
    if (enregistre.textes[c].trim() !== saisi.textes[c].trim()) out.push({ champ: LIBELLES_TEXTE[c], enregistre: enregistre.textes[c], saisi: saisi.textes[c] });
  }
  return out;
}

/**
 * What was typed and could not be saved, beside the sheet as it is now: after a conflict (someone saved
 * meanwhile), or a refusal (entry closed meanwhile). Nothing typed is lost.
 */
export function ConflitSaisie(props: { saisie: EtatSaisie; fiche: FicheComplete }) {
  const { saisie, fiche } = props;
  const conflit = saisie.conflit;
  const lignes = differences(conflit ?? fiche, saisie.values);
  const auteur = (conflit ?? fiche).modifiePar;
  const colonne = conflit ? `Enregistré par ${auteur ?? 'quelqu’un d’autre'}` : 'Enregistré dans la fiche';
  return (
    <>
      {conflit ? (
        <div class="error-summary" role="alert" aria-labelledby="titre-conflit" tabIndex={-1} id="conflit" autofocus>
          <h2 id="titre-conflit">Quelqu’un a modifié cette fiche pendant que vous la remplissiez</h2>
          <p>
            {auteur ?? 'Quelqu’un'} l’a enregistrée le {momentParis(conflit.modifieLe)}. Votre saisie n’a pas été enregistrée, mais rien n’est perdu :
            {saisie.formulaire
              ? ' comparez les deux versions ci-dessous ; le formulaire contient ce que vous avez saisi. Reprenez ce qu’il faut garder de l’autre version, puis enregistrez à nouveau.'
              : ' la voici, à côté de la version enregistrée.'}
          </p>
        </div>
      ) : (
        <div class="error-summary" role="alert" aria-labelledby="titre-refus" tabIndex={-1} id="refus" autofocus>
          <h2 id="titre-refus">Votre saisie n’a pas été enregistrée</h2>
          <p>
            {saisie.refus}
            {lignes.length > 0 && ' Ce que vous avez saisi est repris ci-dessous : rien n’est perdu.'}
          </p>
        </div>
      )}
      {lignes.length > 0 && (
        <TableWrap label="Votre saisie et la fiche enregistrée">
          <table>
            <caption>Votre saisie, non enregistrée, et la fiche enregistrée</caption>
            <thead>
              <tr>
                <th scope="col">Champ</th>
                <th scope="col">{colonne}</th>
                <th scope="col">Votre saisie</th>
              </tr>
            </thead>
            <tbody>
              {lignes.map((l) => (
                <tr>
                  <th scope="row">{l.champ}</th>
                  <td>{l.enregistre || '(vide)'}</td>
                  <td>{l.saisi || '(vide)'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}

const LIBELLES_COMMENTAIRE: Record<Exclude<EtapeDirection, 'valider'>, { label: string; hint: string }> = {
  renvoyer: { label: 'Commentaire pour le partenaire (obligatoire)', hint: 'Ce qu’il faut corriger ou compléter : le partenaire le lira en tête de sa fiche.' },
  rouvrir: { label: 'Motif de la réouverture (obligatoire)', hint: 'La saisie de cette fiche reste ouverte après l’échéance, jusqu’à sa nouvelle soumission.' },
};
export const idCommentaire = (etape: EtapeDirection) => `commentaire_${etape}`;
export const LIBELLES_DECISION: Record<string, string> = Object.fromEntries(
  (['renvoyer', 'rouvrir'] as const).map((e) => [idCommentaire(e), LIBELLES_COMMENTAIRE[e].label]),
);

export function DecisionDirection(props: { campagne: CampagneRow; fiche: FicheComplete; decision: EtatDecision; csrf: string }) {
  const { campagne: c, fiche: f, decision } = props;
  if (!decision.etapes.length) return null;
  const action = `${hrefFiche(c.annee, f.numero)}/decision`;
  const champsCaches = (etape: EtapeDirection) => (
    <>
      <CsrfField token={props.csrf} />
      <input type="hidden" name="etape" value={etape} />
      <input type="hidden" name="version" value={String(f.version)} />
    </>
  );
  return (
    <section class="card" aria-labelledby="titre-decision">
      <h2 id="titre-decision">Décision de la direction de projet</h2>
      {decision.etapes.map((etape) =>
        etape === 'valider' ? (
          <form method="post" action={action}>
            {champsCaches(etape)}
            <button type="submit" class="button">
              {TRANSITIONS_FICHE.valider.libelle}
            </button>
          </form>
        ) : (
          <form method="post" action={action} novalidate>
            {champsCaches(etape)}
            <TextAreaField
              name="commentaire"
              id={idCommentaire(etape)}
              label={LIBELLES_COMMENTAIRE[etape].label}
              hint={LIBELLES_COMMENTAIRE[etape].hint}
              value={decision.values[etape] ?? ''}
              errors={decision.errors}
              maxLength={2000}
              required
            />
            <button type="submit" class="button button-secondary">
              {TRANSITIONS_FICHE[etape].libelle}
            </button>
          </form>
        ),
      )}
    </section>
  );
}
