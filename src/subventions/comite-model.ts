// The programming committee's table as pure rules: which files it shows, and the totals it weighs them
// by — per funder against its envelope, per QPV, per axe, per thématique. Amounts are integer cents.

import type { StatutDossier } from './model.ts';

/** The states a file can be in when the committee looks at it; the table opens on the files proposed to it. */
export const STATUTS_COMITE = ['propose', 'accepte', 'refuse', 'en_instruction'] as const satisfies readonly StatutDossier[];
export type StatutComite = (typeof STATUTS_COMITE)[number];
export const STATUTS_COMITE_DEFAUT: readonly StatutComite[] = ['propose'];

/** What one campaign funder is asked, proposed and granted on one file (null: not proposed or not granted yet). */
export type MontantsFinanceur = { financementId: string; demande: number; propose: number | null; accorde: number | null };

export type LigneComite = {
  id: string;
  numero: number;
  reference: string;
  titre: string;
  statut: StatutComite;
  version: number;
  association: { id: string; nom: string; fictive: boolean };
  territoireIds: string[];
  axe: string | null;
  thematique: string | null;
  /** By campaign funder id; a funder the file asks nothing of is absent. */
  montants: Record<string, MontantsFinanceur>;
};

export { mentionFictive } from './model.ts';

export type FinanceurComite = { id: string; nom: string; enveloppeCentimes: number };

export type FiltresComite = {
  statuts: readonly StatutComite[];
  financeur?: string | undefined;
  qpv?: string | undefined;
  axe?: string | undefined;
  thematique?: string | undefined;
  texte?: string | undefined;
};

/** A tree ref's axe: its first segment ("1.2.3/P1" → "1"). */
export function axeDeRef(ref: string): string {
  return ref.split(/[./]/)[0] ?? ref;
}

/** A file's axe: the axe of the first contract item it serves, null when it names none. */
export function axeDe(noeudRefs: readonly string[]): string | null {
  const premier = noeudRefs[0];
  return premier === undefined ? null : axeDeRef(premier);
}

const replier = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export function filtrerLignes(lignes: readonly LigneComite[], f: FiltresComite): LigneComite[] {
  const texte = f.texte?.trim() ? replier(f.texte.trim()) : null;
  return lignes.filter(
    (l) =>
      f.statuts.includes(l.statut) &&
      (!f.financeur || f.financeur in l.montants) &&
      (!f.qpv || l.territoireIds.includes(f.qpv)) &&
      (!f.axe || l.axe === f.axe) &&
      (!f.thematique || l.thematique === f.thematique) &&
      (!texte || [l.reference, l.titre, l.association.nom].some((s) => replier(s).includes(texte))),
  );
}

export type Totaux = { dossiers: number; demande: number; propose: number; accorde: number };
const zero = (): Totaux => ({ dossiers: 0, demande: 0, propose: 0, accorde: 0 });

export type TotalFinanceur = Totaux & {
  financeur: FinanceurComite;
  enveloppe: number;
  /** Granted on the whole campaign (accepted files), whatever the filters: what the envelope has spent. */
  accordeCampagne: number;
  reste: number;
  /** Proposed on files still awaiting the committee, whatever the filters. */
  proposeEnAttente: number;
  /** Cents granted beyond the envelope (0 when within). */
  depassement: number;
  /** Cents beyond the envelope if every pending proposal were granted as proposed (0 when within). */
  depassementSiPropositions: number;
};

export type TotauxComite = {
  general: Totaux;
  parFinanceur: TotalFinanceur[];
  /** A file acting in several QPV counts in each of them. Key '' = no QPV named. */
  parQpv: Map<string, Totaux>;
  parAxe: Map<string, Totaux>;
  parThematique: Map<string, Totaux>;
};

function ajouter(t: Totaux, l: LigneComite, financeurs: readonly string[]): void {
  t.dossiers += 1;
  for (const id of financeurs) {
    const m = l.montants[id];
    if (!m) continue;
    t.demande += m.demande;
    t.propose += m.propose ?? 0;
    t.accorde += m.accorde ?? 0;
  }
}

function ajouterA(map: Map<string, Totaux>, cle: string, l: LigneComite, financeurs: readonly string[]): void {
  let t = map.get(cle);
  if (!t) map.set(cle, (t = zero()));
  ajouter(t, l, financeurs);
}

/**
 * The totals of the rows shown (`affichees`) and, per funder, the envelope's state over the whole
 * campaign (`campagne`): an envelope is spent by every accepted file, not only by those filtered in.
 */
export function totauxComite(affichees: readonly LigneComite[], campagne: readonly LigneComite[], financeurs: readonly FinanceurComite[]): TotauxComite {
  const ids = financeurs.map((f) => f.id);
  const general = zero();
  const parQpv = new Map<string, Totaux>();
  const parAxe = new Map<string, Totaux>();
  const parThematique = new Map<string, Totaux>();
  for (const l of affichees) {
    ajouter(general, l, ids);
    const qpv = l.territoireIds.length ? [...new Set(l.territoireIds)] : [''];
    for (const q of qpv) ajouterA(parQpv, q, l, ids);
    ajouterA(parAxe, l.axe ?? '', l, ids);
    ajouterA(parThematique, l.thematique ?? '', l, ids);
  }
  const parFinanceur = financeurs.map((financeur): TotalFinanceur => {
    const t = zero();
    for (const l of affichees) if (l.montants[financeur.id]) ajouter(t, l, [financeur.id]);
    let accordeCampagne = 0;
    let proposeEnAttente = 0;
    for (const l of campagne) {
      const m = l.montants[financeur.id];
      if (!m) continue;
      if (l.statut === 'accepte') accordeCampagne += m.accorde ?? 0;
      if (l.statut === 'propose') proposeEnAttente += m.propose ?? 0;
    }
    const enveloppe = financeur.enveloppeCentimes;
    return {
      ...t,
      financeur,
      enveloppe,
      accordeCampagne,
      reste: enveloppe - accordeCampagne,
      proposeEnAttente,
      depassement: Math.max(0, accordeCampagne - enveloppe),
      depassementSiPropositions: Math.max(0, accordeCampagne + proposeEnAttente - enveloppe),
    };
  });
  return { general, parFinanceur, parQpv, parAxe, parThematique };
}

// A batch decision of the committee, read from its form: every selected file must be proposed and
// unchanged since the page was shown, and, when accepted, have a valid granted amount per campaign funder.

export type DecisionComite = 'accepter' | 'refuser';

export type DossierADecider = {
  id: string;
  reference: string;
  statut: string;
  version: number;
  /** Its campaign funding lines, with the funder's name for messages. */
  financements: { id: string; financeur: string }[];
};

export type SaisieDecisions = {
  decision: DecisionComite;
  motif: string;
  /** Granted amounts as typed, by funding line id. */
  montants: Record<string, string>;
  /** The version of each file when the page was shown, by file id. */
  versions: Record<string, string>;
};

export type DecisionDossier = { dossierId: string; accordes: { financementId: string; accorde: number }[] };

/** Error keys name form controls: `d-<file id>` its checkbox, `a-<funding line id>` an amount. */
export type ErreursDecisions = Record<string, string>;

export function validerDecisions(
  choisis: readonly DossierADecider[],
  saisie: SaisieDecisions,
  lireMontant: (s: string) => number | null,
): { ok: true; decisions: DecisionDossier[] } | { ok: false; erreurs: ErreursDecisions } {
  const erreurs: ErreursDecisions = {};
  if (choisis.length === 0) erreurs._ = 'Sélectionnez au moins un dossier.';
  if (saisie.decision === 'refuser' && !saisie.motif.trim()) erreurs.motif = 'Indiquez le motif du refus : il figure sur la lettre envoyée à l’association.';
  const decisions: DecisionDossier[] = [];
  for (const d of choisis) {
    if (d.statut !== 'propose') {
      erreurs[`d-${d.id}`] = `Le dossier ${d.reference} n’est plus proposé au comité : il ne peut pas être ${saisie.decision === 'accepter' ? 'accepté' : 'refusé'}.`;
      continue;
    }
    if (saisie.versions[d.id] !== String(d.version)) {
      erreurs[`d-${d.id}`] = `Le dossier ${d.reference} a été modifié depuis l’affichage de la page : vérifiez-le avant de décider.`;
      continue;
    }
    const accordes = d.financements.map((f) => {
      if (saisie.decision === 'refuser') return { financementId: f.id, accorde: 0 };
      const tape = (saisie.montants[f.id] ?? '').trim();
      const accorde = tape === '' ? null : lireMontant(tape);
      if (accorde === null) {
        erreurs[`a-${f.id}`] = tape === ''
          ? `Indiquez le montant accordé par ${f.financeur} au dossier ${d.reference} (0 si rien).`
          : `Le montant accordé par ${f.financeur} au dossier ${d.reference} n’est pas un montant en euros (par exemple 1 500 ou 1 500,50).`;
      }
      return { financementId: f.id, accorde: accorde ?? 0 };
    });
    decisions.push({ dossierId: d.id, accordes });
  }
  return Object.keys(erreurs).length ? { ok: false, erreurs } : { ok: true, decisions };
}
