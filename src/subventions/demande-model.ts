import { erreurSiret, equilibreBudget, euros, type Budget, type Equilibre, type LigneBudget } from './model.ts';
import type { PublicDossier } from './schema.ts';
import { documentsManquants, LIBELLES_TYPE_DOCUMENT, type DocumentDate } from './structure-model.ts';

// A request as CERFA 12156 asks for it (pure rules, no I/O): the accounts of its budget, what is still
// missing before it can be submitted, and how last year's request is carried over to a new campaign.

export type CompteCerfa = { compte: string; libelle: string };

/** Charges, accounts 60 to 68, then the voluntary contributions used (86). */
export const COMPTES_CHARGES: readonly CompteCerfa[] = [
  { compte: '60', libelle: 'Achats' },
  { compte: '61', libelle: 'Services extérieurs' },
  { compte: '62', libelle: 'Autres services extérieurs' },
  { compte: '63', libelle: 'Impôts et taxes' },
  { compte: '64', libelle: 'Charges de personnel' },
  { compte: '65', libelle: 'Autres charges de gestion courante' },
  { compte: '66', libelle: 'Charges financières' },
  { compte: '67', libelle: 'Charges exceptionnelles' },
  { compte: '68', libelle: 'Dotation aux amortissements' },
  { compte: '860', libelle: 'Secours en nature' },
  { compte: '861', libelle: 'Mise à disposition gratuite de biens et services' },
  { compte: '862', libelle: 'Prestations' },
  { compte: '864', libelle: 'Personnel bénévole' },
];

/** Produits other than the subsidies (74, typed per co-funder), then the voluntary contributions received (87). */
export const COMPTES_PRODUITS: readonly CompteCerfa[] = [
  { compte: '70', libelle: 'Ventes de produits finis, de marchandises, prestations de services' },
  { compte: '73', libelle: 'Dotations et produits de tarification' },
  { compte: '75', libelle: 'Autres produits de gestion courante (dont cotisations, dons)' },
  { compte: '76', libelle: 'Produits financiers' },
  { compte: '78', libelle: 'Reprises sur amortissements et provisions' },
  { compte: '870', libelle: 'Bénévolat' },
  { compte: '871', libelle: 'Prestations en nature' },
  { compte: '875', libelle: 'Dons en nature' },
];

/** Co-funders outside the campaign (another grant) a request may name. */
export const MAX_AUTRES_FINANCEURS = 3;

export const estContribution = (compte: string) => compte.startsWith('86') || compte.startsWith('87');

export type FinancementSaisi = { financeurId: string | null; libelle: string; demandeCentimes: number };

/** The budget of a request: its produits are its other produits plus one line of account 74 per co-funder asked. */
export function budgetDossier(d: { charges: LigneBudget[]; autresProduits: LigneBudget[] }, financements: readonly FinancementSaisi[]): Budget {
  return {
    charges: d.charges,
    produits: [...d.autresProduits, ...financements.map((f) => ({ compte: '74', libelle: f.libelle, montantCentimes: f.demandeCentimes }))],
  };
}

export function equilibreDossier(d: { charges: LigneBudget[]; autresProduits: LigneBudget[] }, financements: readonly FinancementSaisi[]): Equilibre {
  return equilibreBudget(budgetDossier(d, financements));
}

export type ContenuDossier = {
  titre: string;
  objectifs: string;
  description: string;
  dateDebut: string | null;
  dateFin: string | null;
  lieux: string;
  public: PublicDossier;
  territoireIds: string[];
  noeudRefs: string[];
  thematique: string | null;
  charges: LigneBudget[];
  autresProduits: LigneBudget[];
};

/** One thing missing before submission: where to fix it (an anchor of the form, or another page) and what to do, in French. */
export type Manque = { champ: string; lien: string; message: string };

export type SituationDepot = {
  dossier: ContenuDossier;
  financements: readonly FinancementSaisi[];
  campagne: { territoireIds: readonly string[]; prioriteRefs: readonly string[]; thematiques: readonly string[] };
  financeurIds: readonly string[];
  structure: { siret: string } | null | undefined;
  documents: readonly DocumentDate[];
  aujourdhui: string;
};

const vide = (s: string) => s.trim() === '';

/** Everything that stops a request from being submitted, in the order of the form, then the association's profile. */
export function ceQuiManque(s: SituationDepot): Manque[] {
  const d = s.dossier;
  const m: Manque[] = [];
  const champ = (nom: string, message: string) => m.push({ champ: nom, lien: `#champ-${nom}`, message });
  if (vide(d.titre)) champ('titre', 'Donnez un titre au projet.');
  if (vide(d.objectifs)) champ('objectifs', 'Décrivez les objectifs du projet.');
  if (vide(d.description)) champ('description', 'Décrivez le projet.');
  if (!d.dateDebut) champ('dateDebut', 'Indiquez la date de début du projet.');
  if (!d.dateFin) champ('dateFin', 'Indiquez la date de fin du projet.');
  if (d.dateDebut && d.dateFin && d.dateFin < d.dateDebut) champ('dateFin', 'La date de fin du projet doit suivre sa date de début.');
  if (vide(d.lieux)) champ('lieux', 'Indiquez les lieux où le projet se déroule.');
  if (!d.public.nombre) champ('publicNombre', 'Indiquez le nombre de personnes que le projet touche.');
  if (vide(d.public.ages)) champ('publicAges', 'Indiquez les tranches d’âge du public.');
  if (d.public.partQpv === null) champ('publicPartQpv', 'Indiquez la part du public qui habite en quartier prioritaire.');
  if (vide(d.public.description)) champ('publicDescription', 'Décrivez le public du projet.');
  if (!d.territoireIds.some((t) => s.campagne.territoireIds.includes(t))) {
    m.push({ champ: 'territoires', lien: '#section-quartiers', message: 'Cochez au moins un quartier prioritaire de l’appel où le projet agit.' });
  }
  if (!d.noeudRefs.some((r) => s.campagne.prioriteRefs.includes(r))) {
    m.push({ champ: 'noeuds', lien: '#section-objectifs', message: 'Cochez au moins un objectif du contrat que le projet sert.' });
  }
  if (s.campagne.thematiques.length > 0 && !(d.thematique && s.campagne.thematiques.includes(d.thematique))) champ('thematique', 'Choisissez la thématique du projet.');
  const budget = equilibreDossier(d, s.financements);
  if (budget.charges === 0) m.push({ champ: 'budget', lien: '#section-budget', message: 'Remplissez le budget prévisionnel : aucune charge n’est indiquée.' });
  for (const p of budget.problemes) m.push({ champ: 'budget', lien: '#section-budget', message: p });
  if (!s.financements.some((f) => f.financeurId !== null && s.financeurIds.includes(f.financeurId) && f.demandeCentimes > 0)) {
    m.push({ champ: 'financeurs', lien: '#section-subventions', message: 'Indiquez le montant demandé à au moins un financeur de l’appel.' });
  }
  if (!s.structure) {
    m.push({ champ: 'structure', lien: '/structure', message: 'Complétez le profil de votre association (SIRET, adresse, représentants).' });
  } else {
    const siret = erreurSiret(s.structure.siret);
    if (siret) m.push({ champ: 'structure', lien: '/structure', message: `Le SIRET de votre association est à corriger : ${siret}` });
  }
  for (const t of documentsManquants(s.documents, s.aujourdhui)) {
    m.push({ champ: `document-${t}`, lien: '/structure/documents', message: `Déposez un document valide aujourd’hui : ${LIBELLES_TYPE_DOCUMENT[t]}.` });
  }
  return m;
}

// --- Next year's request, from last year's ---------------------------------------------------

export type FinancementSource = FinancementSaisi & { financeurCode: string | null };
export type CampagneCible = {
  annee: number;
  territoireIds: readonly string[];
  prioriteRefs: readonly string[];
  thematiques: readonly string[];
  financeurs: readonly { id: string; code: string; nom: string }[];
};
export type Duplication = { contenu: ContenuDossier; financements: FinancementSaisi[]; nonRepris: string[] };

/** The same day some years later; 29 February becomes 28 February in a year without it. */
export function decalerAnnees(jour: string | null, annees: number): string | null {
  if (!jour) return null;
  const [a, mo, j] = jour.split('-').map(Number) as [number, number, number];
  const d = new Date(Date.UTC(a + annees, mo - 1, j));
  if (d.getUTCMonth() !== mo - 1) d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

/**
 * Last year's request mapped onto a new campaign: the project, its public, its budget are kept; dates
 * move by the years between the campaigns; QPV, priorities, thématique and funders the new campaign does
 * not have are left out and named in `nonRepris`. Funders are matched by their code (« etat-147 », « ville »).
 */
export function dupliquer(
  source: { contenu: ContenuDossier; annee: number; financements: readonly FinancementSource[] },
  cible: CampagneCible,
  noms: { territoires: Readonly<Record<string, string>>; noeuds: Readonly<Record<string, string>> },
): Duplication {
  const s = source.contenu;
  const nonRepris: string[] = [];
  const territoireIds = s.territoireIds.filter((t) => cible.territoireIds.includes(t));
  for (const t of s.territoireIds.filter((x) => !territoireIds.includes(x))) nonRepris.push(`le quartier ${noms.territoires[t] ?? t}, qui n’est pas dans l’appel ${cible.annee}`);
  const noeudRefs = s.noeudRefs.filter((r) => cible.prioriteRefs.includes(r));
  for (const r of s.noeudRefs.filter((x) => !noeudRefs.includes(x))) nonRepris.push(`l’objectif ${noms.noeuds[r] ?? r}, qui n’est pas une priorité de l’appel ${cible.annee}`);
  const thematique = s.thematique && cible.thematiques.includes(s.thematique) ? s.thematique : null;
  if (s.thematique && !thematique) nonRepris.push(`la thématique « ${s.thematique} », absente de l’appel ${cible.annee}`);
  const financements: FinancementSaisi[] = [];
  for (const f of source.financements) {
    if (f.financeurId === null) {
      financements.push({ financeurId: null, libelle: f.libelle, demandeCentimes: f.demandeCentimes });
      continue;
    }
    const nouveau = cible.financeurs.find((x) => x.code === f.financeurCode);
    if (nouveau) financements.push({ financeurId: nouveau.id, libelle: nouveau.nom, demandeCentimes: f.demandeCentimes });
    else nonRepris.push(`la demande de ${euros(f.demandeCentimes)} à ${f.libelle}, qui ne finance pas l’appel ${cible.annee}`);
  }
  const ecart = cible.annee - source.annee;
  return {
    contenu: { ...s, public: { ...s.public }, territoireIds, noeudRefs, thematique, dateDebut: decalerAnnees(s.dateDebut, ecart), dateFin: decalerAnnees(s.dateFin, ecart) },
    financements,
    nonRepris,
  };
}
