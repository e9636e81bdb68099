// The call for projects: an association's identifiers, its budget, and the life of its file, as pure
// rules (no I/O). The transition table is data, tested exhaustively.

/** Luhn's key, as INSEE computes it for SIREN and SIRET: doubling every second digit from the right. */
export function cleLuhn(chiffres: string): boolean {
  let somme = 0;
  for (let i = 0; i < chiffres.length; i++) {
    let d = Number(chiffres[chiffres.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    somme += d;
  }
  return somme % 10 === 0;
}

const sansEspaces = (s: string) => s.replace(/[\s.]/g, '');

/** The SIREN of La Poste: its establishments' SIRET follow another rule (the sum of their digits is a multiple of 5). */
const SIREN_LA_POSTE = '356000000';

/** Why a SIREN is not valid, in French, or null when it is. Spaces are allowed ("123 456 789"). */
export function erreurSiren(saisi: string): string | null {
  const s = sansEspaces(saisi);
  if (!/^\d{9}$/.test(s)) return 'Le SIREN compte 9 chiffres.';
  if (!cleLuhn(s)) return 'Ce SIREN n’existe pas : sa clé de contrôle est fausse. Vérifiez chaque chiffre.';
  return null;
}

/** Why a SIRET is not valid, in French, or null when it is. */
export function erreurSiret(saisi: string): string | null {
  const s = sansEspaces(saisi);
  if (!/^\d{14}$/.test(s)) return 'Le SIRET compte 14 chiffres (le SIREN suivi de 5 chiffres).';
  const siren = s.slice(0, 9);
  if (siren === SIREN_LA_POSTE && s !== `${SIREN_LA_POSTE}00000`) {
    const somme = [...s].reduce((a, c) => a + Number(c), 0);
    return somme % 5 === 0 ? null : 'Ce SIRET n’existe pas : sa clé de contrôle est fausse. Vérifiez chaque chiffre.';
  }
  if (erreurSiren(siren)) return 'Les 9 premiers chiffres du SIRET ne forment pas un SIREN valide.';
  if (!cleLuhn(s)) return 'Ce SIRET n’existe pas : sa clé de contrôle est fausse. Vérifiez chaque chiffre.';
  return null;
}

/** The RNA number of an association: W followed by 9 digits. */
export function erreurRna(saisi: string): string | null {
  return /^W\d{9}$/.test(sansEspaces(saisi).toUpperCase()) ? null : 'Le numéro RNA s’écrit W suivi de 9 chiffres, par exemple W751234567.';
}

// The budget of a request (CERFA 12156): charges and produits by account, in cents to add exactly.
// Voluntary contributions (accounts 86 in charges, 87 in produits) are shown apart and balance each other.
export type LigneBudget = { compte: string; libelle: string; montantCentimes: number };
export type Budget = { charges: LigneBudget[]; produits: LigneBudget[] };

const contributionVolontaire = (l: LigneBudget, classe: '86' | '87') => l.compte.startsWith(classe);
const somme = (lignes: LigneBudget[]) => lignes.reduce((a, l) => a + l.montantCentimes, 0);

export type Equilibre = {
  charges: number;
  produits: number;
  ecart: number;
  contributionsCharges: number;
  contributionsProduits: number;
  equilibre: boolean;
  problemes: string[];
};

/** Whether a budget balances, with the figures a person needs to fix it. */
export function equilibreBudget(b: Budget): Equilibre {
  const charges = somme(b.charges.filter((l) => !contributionVolontaire(l, '86')));
  const produits = somme(b.produits.filter((l) => !contributionVolontaire(l, '87')));
  const contributionsCharges = somme(b.charges.filter((l) => contributionVolontaire(l, '86')));
  const contributionsProduits = somme(b.produits.filter((l) => contributionVolontaire(l, '87')));
  const problemes: string[] = [];
  if (charges !== produits) {
    problemes.push(`Le budget n’est pas équilibré : les charges font ${euros(charges)}, les produits ${euros(produits)} (écart de ${euros(Math.abs(charges - produits))}).`);
  }
  if (contributionsCharges !== contributionsProduits) {
    problemes.push(`Les contributions volontaires ne s’équilibrent pas : ${euros(contributionsCharges)} en emplois (86), ${euros(contributionsProduits)} en ressources (87).`);
  }
  for (const l of [...b.charges, ...b.produits]) {
    if (!Number.isInteger(l.montantCentimes) || l.montantCentimes < 0) problemes.push(`Le montant de « ${l.libelle} » doit être positif.`);
  }
  return { charges, produits, ecart: charges - produits, contributionsCharges, contributionsProduits, equilibre: problemes.length === 0, problemes };
}

/** Above this (ten billion euros) a typed amount is a typing error, and the cents would no longer add exactly. */
export const CENTIMES_MAX = 1_000_000_000_000;

/** "1234,5" or "1 234,50 €" → 123450 cents; null when it is not an amount (or an absurdly large one). */
export function centimes(saisi: string): number | null {
  const s = saisi.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const c = Math.round(Number(s) * 100);
  return c > CENTIMES_MAX ? null : c;
}

export function euros(c: number): string {
  // Thousands and the euro sign kept on the line with their figure: no-break spaces.
  return `${(c / 100).toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).replace(/[\u202f\u00a0 ]/g, '\u00a0')}\u00a0€`;
}

// The life of a file, as data: each step, the states it leaves from, where it goes, and who may take it.
export const STATUTS_DOSSIER = ['brouillon', 'depose', 'en_instruction', 'complement_demande', 'propose', 'accepte', 'refuse', 'sans_suite'] as const;
export type StatutDossier = (typeof STATUTS_DOSSIER)[number];
export const LIBELLES_STATUT_DOSSIER: Record<StatutDossier, string> = {
  brouillon: 'Brouillon',
  depose: 'Déposé',
  en_instruction: 'En instruction',
  complement_demande: 'Complément demandé',
  propose: 'Proposé au comité',
  accepte: 'Accepté',
  refuse: 'Refusé',
  sans_suite: 'Classé sans suite',
};

export type RoleDossier = 'association' | 'agent_territorial' | 'direction_projet';
export type EtapeDossier = 'deposer' | 'instruire' | 'demander_complement' | 'completer' | 'proposer' | 'accepter' | 'refuser' | 'classer';

export const TRANSITIONS_DOSSIER: Record<EtapeDossier, { de: readonly StatutDossier[]; vers: StatutDossier; roles: readonly RoleDossier[]; libelle: string }> = {
  deposer: { de: ['brouillon'], vers: 'depose', roles: ['association'], libelle: 'Déposer la demande' },
  instruire: { de: ['depose'], vers: 'en_instruction', roles: ['agent_territorial', 'direction_projet'], libelle: 'Commencer l’instruction' },
  demander_complement: { de: ['en_instruction'], vers: 'complement_demande', roles: ['agent_territorial', 'direction_projet'], libelle: 'Demander un complément' },
  completer: { de: ['complement_demande'], vers: 'en_instruction', roles: ['association'], libelle: 'Envoyer le complément' },
  proposer: { de: ['en_instruction'], vers: 'propose', roles: ['agent_territorial', 'direction_projet'], libelle: 'Proposer au comité de programmation' },
  accepter: { de: ['propose'], vers: 'accepte', roles: ['direction_projet'], libelle: 'Accepter' },
  refuser: { de: ['propose'], vers: 'refuse', roles: ['direction_projet'], libelle: 'Refuser' },
  classer: { de: ['depose', 'en_instruction', 'complement_demande', 'propose'], vers: 'sans_suite', roles: ['direction_projet'], libelle: 'Classer sans suite' },
};
export const ETAPES_DOSSIER = Object.keys(TRANSITIONS_DOSSIER) as EtapeDossier[];

/** The steps a role may take on a file in a given state. */
export function etapesPossibles(statut: StatutDossier, role: RoleDossier): EtapeDossier[] {
  return ETAPES_DOSSIER.filter((e) => TRANSITIONS_DOSSIER[e].de.includes(statut) && TRANSITIONS_DOSSIER[e].roles.includes(role));
}

// A campaign's calendar: requests are submitted from its opening day to its closing day included (Paris days, AAAA-MM-JJ).
export type EtatCampagne = 'a_venir' | 'ouverte' | 'close';
export const LIBELLES_ETAT_CAMPAGNE: Record<EtatCampagne, string> = { a_venir: 'À venir', ouverte: 'Ouverte aux demandes', close: 'Close' };
export function etatCampagne(c: { ouverture: string; cloture: string }, aujourdhui: string): EtatCampagne {
  if (aujourdhui < c.ouverture) return 'a_venir';
  return aujourdhui > c.cloture ? 'close' : 'ouverte';
}

/** Whether a fictitious association's name needs the « fictive » mention: not when its name already says so. */
export const mentionFictive = (a: { nom: string; fictive: boolean }) => a.fictive && !/fictive/i.test(a.nom);
