import { NomAssociation } from './association-nom.tsx';
import type { NoeudCite } from '../contrat/model.ts';
import { FilAriane } from '../platform/ui/fil-ariane.tsx';
import { ErrorSummary } from '../platform/ui/forms.tsx';
import { LIBELLES_STATUT_DOSSIER, type EtapeDossier, type StatutDossier } from './model.ts';
import { TEXTE_ETAPE, type VueDossier } from './instruction-model.ts';
import type { DossierComplet, EvenementDossierRow, FinanceurRow } from './store.ts';
import type { AnnotationRow, AvisRow, MessageRow, Piece } from './instruction-store.ts';
import type { Saisie } from './dossier-champs.tsx';
import { Budget, Financements, Pieces, Projet, Public, QuartiersObjectifs } from './dossier-contenu-views.tsx';
import { Complement, Decision, Echanges, Historique } from './dossier-suivi-views.tsx';
import { Annotations, AvisParFinanceur, Etapes } from './dossier-instruction-views.tsx';

// THE page of a file, for everyone allowed on it: the association reads its request, the conversation,
// the history and the decision; the instruction team also gives opinions, annotates and moves the file.

export type PageDossier = {
  d: DossierComplet;
  reference: string;
  fictive: boolean;
  vue: VueDossier;
  quartiers: string[];
  equipes: string[];
  noeuds: NoeudCite[];
  financeurs: FinanceurRow[];
  pieces: Piece[];
  messages: MessageRow[];
  evenements: EvenementDossierRow[];
  /** Loaded for the instruction team only: never read for anyone else. */
  avis: AvisRow[];
  annotations: AnnotationRow[];
  saisie: Saisie | null;
};

/** The labels of the fields of the form that came back with errors, for the error summary. */
function libellesSaisie(p: PageDossier): Record<string, string> {
  const f = p.saisie?.formulaire ?? '';
  if (f === 'message') return { 'message-texte': 'Votre message' };
  if (f === 'annotation') return { 'annotation-texte': 'Nouvelle annotation' };
  if (f.startsWith('avis-')) return { [`${f}-avis`]: 'Avis', [`${f}-propose`]: 'Montant proposé', [`${f}-commentaire`]: 'Commentaire' };
  const etape = f.slice('etape-'.length) as EtapeDossier;
  return f.startsWith('etape-') && TEXTE_ETAPE[etape] ? { [`${f}-commentaire`]: TEXTE_ETAPE[etape]!.libelle } : {};
}

/** The instructors' request being answered: the latest request for a correction. */
function demandeEnCours(evenements: EvenementDossierRow[]): string | null {
  return evenements.filter((e) => e.etape === 'demander_complement').at(-1)?.commentaire ?? null;
}

export function DossierPage(props: { p: PageDossier; csrf: string }) {
  const { p, csrf } = props;
  const { d, vue } = p;
  const annee = d.campagne.annee;
  return (
    <>
      <FilAriane
        miettes={[
          { label: 'Appels à projets', href: '/appels-a-projets' },
          { label: d.campagne.titre, href: `/appels-a-projets/${annee}` },
          ...(vue.instruction ? [{ label: 'Dossiers à instruire', href: `/appels-a-projets/${annee}/dossiers` }] : []),
          { label: `Dossier ${p.reference}` },
        ]}
      />
      <h1>
        Dossier {p.reference} — {d.titre}
      </h1>
      {p.saisie && <ErrorSummary errors={p.saisie.erreurs} labels={libellesSaisie(p)} />}
      {p.saisie?.refus && (
        <div class="notice notice-warning" role="alert">
          <p>{p.saisie.refus}</p>
        </div>
      )}
      <dl class="details">
        <dt>Statut</dt>
        <dd>{LIBELLES_STATUT_DOSSIER[d.statut as StatutDossier] ?? d.statut}</dd>
        <dt>Association</dt>
        <dd>
          <NomAssociation a={{ nom: d.association.nom, fictive: p.fictive }} />
        </dd>
        <dt>Appel à projets</dt>
        <dd>
          <a href={`/appels-a-projets/${annee}`}>{d.campagne.titre}</a>
        </dd>
        <dt>Équipe d’instruction</dt>
        <dd>{p.equipes.length ? p.equipes.join(', ') : 'aucune équipe de l’appel ne couvre ces quartiers : la direction de projet l’instruit'}</dd>
      </dl>
      {vue.brouillon && (
        <div class="notice" role="note" aria-label="Demande non déposée">
          <p>
            Cette demande n’est pas encore déposée. <a href={`/dossiers/${d.id}/modifier`}>Continuer la demande</a>
          </p>
        </div>
      )}
      {vue.complement && <Complement d={d} demande={demandeEnCours(p.evenements)} saisie={p.saisie} csrf={csrf} />}
      {vue.decision && <Decision d={d} financeurs={p.financeurs} />}
      <Projet d={d} />
      <Public d={d} />
      <QuartiersObjectifs quartiers={p.quartiers} noeuds={p.noeuds} />
      <Budget d={d} />
      <Financements d={d} financeurs={p.financeurs} propose={vue.instruction} accorde={vue.decision} />
      <Pieces pieces={p.pieces} depose={d.deposeLe !== null} />
      {vue.instruction && (
        <>
          <AvisParFinanceur d={d} financeurs={p.financeurs} avis={p.avis} ouvert={vue.avis} saisie={p.saisie} csrf={csrf} />
          <Annotations dossierId={d.id} annotations={p.annotations} saisie={p.saisie} csrf={csrf} />
          <Etapes d={d} etapes={vue.etapes} comite={vue.instruction && d.statut === 'propose'} saisie={p.saisie} csrf={csrf} />
        </>
      )}
      <Echanges dossierId={d.id} messages={p.messages} ecrire={vue.messages} saisie={p.saisie} csrf={csrf} />
      <Historique evenements={p.evenements} />
    </>
  );
}
