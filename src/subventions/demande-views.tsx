import { NomAssociation } from './association-nom.tsx';
import { CsrfField, SelectField, TextAreaField, TextField, type FieldErrors } from '../platform/ui/forms.tsx';
import { FilAriane } from '../platform/ui/fil-ariane.tsx';
import { TRANSITIONS_DOSSIER, type Equilibre } from './model.ts';
import type { Manque } from './demande-model.ts';
import { LIBELLES_DEMANDE, type SaisieDemande } from './demande-form.ts';
import { BudgetFieldsets, libellesBudget, Totaux, type Financeur } from './budget-views.tsx';

// The CERFA 12156 form of a request, in sections with anchors: what is missing to submit it first,
// then the project, its public, its quartiers, the contract's objectives, its budget.

export type FormulaireDemande = {
  dossier: { id: string; reference: string; titre: string; version: number; annee: number; campagneTitre: string; association: string; fictive: boolean };
  saisie: SaisieDemande;
  erreurs: FieldErrors;
  manques: Manque[];
  /** The person tried to submit and was refused: the summary is an alert that takes focus. */
  depotRefuse: string | null;
  /** Someone saved the file since the page was opened. */
  conflit: boolean;
  quartiers: { id: string; nom: string; code: string }[];
  priorites: { ref: string; libelle: string }[];
  thematiques: string[];
  financeurs: Financeur[];
  equilibre: Equilibre;
  etape: 'deposer' | 'completer';
};

const SECTIONS = [
  ['section-projet', 'Le projet'],
  ['section-public', 'Le public'],
  ['section-quartiers', 'Les quartiers'],
  ['section-objectifs', 'Les objectifs du contrat'],
  ['section-thematique', 'Thématique'],
  ['section-budget', 'Le budget prévisionnel'],
] as const;

export const hrefModifier = (id: string) => `/dossiers/${id}/modifier`;


function Cases(props: { name: 'territoires' | 'noeuds'; legende: string; options: { value: string; label: string }[]; coches: string[]; errors: FieldErrors; vide: string }) {
  const error = props.errors[props.name];
  return (
    <fieldset class={error ? 'field field-error' : 'field'} aria-describedby={error ? `erreur-${props.name}` : undefined}>
      <legend>{props.legende}</legend>
      {error && (
        <p class="error-message" id={`erreur-${props.name}`}>
          <span class="visually-hidden">Erreur : </span>
          {error}
        </p>
      )}
      {props.options.length === 0 && <p>{props.vide}</p>}
      {props.options.map((o, i) => {
        const id = i === 0 ? `champ-${props.name}` : `champ-${props.name}-${i}`;
        return (
          <div class="field-checkbox">
            <input type="checkbox" id={id} name={props.name} value={o.value} checked={props.coches.includes(o.value)} />
            <label for={id}>{o.label}</label>
          </div>
        );
      })}
    </fieldset>
  );
}

/** Field errors then what is missing, in one list; an alert that takes focus when a save or a submission was refused. */
function Recapitulatif(props: { f: FormulaireDemande; libelles: Record<string, string> }) {
  const { f } = props;
  const erreurs = Object.entries(f.erreurs);
  const alerte = erreurs.length > 0 || f.depotRefuse !== null;
  const titre = f.depotRefuse ?? (erreurs.length ? 'Certaines valeurs n’ont pas été enregistrées' : 'Ce qui manque pour déposer');
  const contenu = (
    <>
      {erreurs.length > 0 && (
        <>
          <p>Corrigez {erreurs.length === 1 ? 'cette valeur' : `ces ${erreurs.length} valeurs`} : votre saisie est conservée dans le formulaire, le reste est enregistré.</p>
          <ul>
            {erreurs.map(([champ, message]) => (
              <li>
                <a href={`#champ-${champ}`}>{`${props.libelles[champ] ?? champ} : ${message}`}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      {f.manques.length > 0 ? (
        <>
          {alerte && <h3>Ce qui manque pour déposer</h3>}
          <ul>
            {f.manques.map((m) => (
              <li>
                <a href={m.lien}>{m.message}</a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>Rien ne manque : vous pouvez déposer la demande.</p>
      )}
    </>
  );
  if (!alerte) {
    return (
      <section class="notice" aria-labelledby="titre-manques" id="manques">
        <h2 id="titre-manques">{titre}</h2>
        {contenu}
      </section>
    );
  }
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} id="erreurs" autofocus>
      <h2 id="error-summary-title">{titre}</h2>
      {contenu}
    </div>
  );
}

export function DemandePage(props: { f: FormulaireDemande; csrf: string }) {
  const { f } = props;
  const { dossier: d, saisie: v, erreurs } = f;
  const libelles = { ...LIBELLES_DEMANDE, ...libellesBudget(f.financeurs) };
  const val = (n: string) => v.valeurs[n];
  return (
    <>
      <FilAriane miettes={[{ label: 'Mes dossiers', href: '/mes-dossiers' }, { label: d.reference, href: `/dossiers/${d.id}` }, { label: 'Modifier' }]} />
      <h1>Demande de subvention {d.reference}</h1>
      <p class="lead">
        {d.titre} — <NomAssociation a={{ nom: d.association, fictive: d.fictive }} /> — {d.campagneTitre}
      </p>
      {f.conflit && (
        <div class="notice notice-warning" role="status">
          Ce dossier a été modifié depuis que vous avez ouvert la page : votre saisie n’a pas été enregistrée, mais elle est conservée ci-dessous. Vérifiez-la
          puis enregistrez à nouveau.
        </div>
      )}
      <Recapitulatif f={f} libelles={libelles} />
      <nav aria-label="Sections du formulaire">
        <ul>
          {SECTIONS.map(([id, label]) => (
            <li>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="post" action={hrefModifier(d.id)} novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="version" value={String(d.version)} />
        <section aria-labelledby="section-projet">
          <h2 id="section-projet">Le projet</h2>
          <TextField name="titre" label={LIBELLES_DEMANDE.titre!} value={val('titre')} errors={erreurs} />
          <TextAreaField name="objectifs" label={LIBELLES_DEMANDE.objectifs!} value={val('objectifs')} errors={erreurs} maxLength={5000} />
          <TextAreaField name="description" label={LIBELLES_DEMANDE.description!} value={val('description')} errors={erreurs} maxLength={10000} />
          <TextField name="dateDebut" label={LIBELLES_DEMANDE.dateDebut!} hint="Au format AAAA-MM-JJ, par exemple 2026-09-01." value={val('dateDebut')} errors={erreurs} />
          <TextField name="dateFin" label={LIBELLES_DEMANDE.dateFin!} hint="Au format AAAA-MM-JJ, le jour de début ou après." value={val('dateFin')} errors={erreurs} />
          <TextAreaField name="lieux" label={LIBELLES_DEMANDE.lieux!} value={val('lieux')} errors={erreurs} maxLength={2000} />
        </section>
        <section aria-labelledby="section-public">
          <h2 id="section-public">Le public</h2>
          <TextField name="publicNombre" label={LIBELLES_DEMANDE.publicNombre!} value={val('publicNombre')} errors={erreurs} />
          <TextField name="publicAges" label={LIBELLES_DEMANDE.publicAges!} hint="Par exemple « 11-15 ans, 16-25 ans »." value={val('publicAges')} errors={erreurs} />
          <TextField name="publicFemmes" label={LIBELLES_DEMANDE.publicFemmes!} value={val('publicFemmes')} errors={erreurs} />
          <TextField name="publicHommes" label={LIBELLES_DEMANDE.publicHommes!} value={val('publicHommes')} errors={erreurs} />
          <TextField name="publicPartQpv" label={LIBELLES_DEMANDE.publicPartQpv!} hint="Entre 0 et 100." value={val('publicPartQpv')} errors={erreurs} />
          <TextAreaField name="publicDescription" label={LIBELLES_DEMANDE.publicDescription!} value={val('publicDescription')} errors={erreurs} maxLength={5000} />
        </section>
        <section aria-labelledby="section-quartiers">
          <h2 id="section-quartiers">Les quartiers</h2>
          <Cases
            name="territoires"
            legende="Les quartiers prioritaires de l’appel où le projet agit"
            options={f.quartiers.map((q) => ({ value: q.id, label: `${q.nom} (${q.code})` }))}
            coches={v.territoires}
            errors={erreurs}
            vide="Cet appel ne désigne aucun quartier."
          />
        </section>
        <section aria-labelledby="section-objectifs">
          <h2 id="section-objectifs">Les objectifs du contrat</h2>
          <Cases
            name="noeuds"
            legende="Les priorités de l’appel que le projet sert"
            options={f.priorites.map((p) => ({ value: p.ref, label: p.libelle }))}
            coches={v.noeuds}
            errors={erreurs}
            vide="Cet appel ne désigne aucune priorité."
          />
        </section>
        <section aria-labelledby="section-thematique">
          <h2 id="section-thematique">Thématique</h2>
          <SelectField name="thematique" label={LIBELLES_DEMANDE.thematique!} value={val('thematique')} placeholder="Choisissez une thématique" options={f.thematiques.map((t) => ({ value: t, label: t }))} errors={erreurs} />
        </section>
        <section aria-labelledby="section-budget">
          <h2 id="section-budget">Le budget prévisionnel</h2>
          <Totaux e={f.equilibre} />
          <BudgetFieldsets v={v} errors={erreurs} financeurs={f.financeurs} />
        </section>
        <div class="actions">
          <button type="submit" class="button button-secondary">
            Enregistrer le brouillon
          </button>
          <button type="submit" class="button" formaction={`/dossiers/${d.id}/deposer`}>
            {f.etape === 'deposer' ? TRANSITIONS_DOSSIER.deposer.libelle : TRANSITIONS_DOSSIER.completer.libelle}
          </button>
        </div>
      </form>
    </>
  );
}
