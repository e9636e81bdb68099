// Commitments (engagements) and their yearly monitoring sheets (fiches de suivi): how a printed figure
// is read, how a realisation rate follows from a target, and which sheets deserve a second look.
// Pure rules, no I/O. The formulas are explained in docs/taux-de-realisation.md.

export const NATURES_CIBLE = ['niveau', 'part_qpv', 'nombre', 'evolution_annuelle', 'reduction_ecart', 'couverture_qpv', 'jalon', 'qualitatif'] as const;
export type NatureCible = (typeof NATURES_CIBLE)[number];
export const LIBELLES_NATURE: Record<NatureCible, string> = {
  niveau: 'Niveau à atteindre',
  part_qpv: 'Part des habitants des QPV parmi les bénéficiaires',
  nombre: 'Nombre',
  evolution_annuelle: 'Évolution par an',
  reduction_ecart: 'Réduction d’un écart',
  couverture_qpv: 'Couverture de tous les QPV',
  jalon: 'Jalon daté',
  qualitatif: 'Qualitatif',
};
export type Sens = 'hausse' | 'baisse';
export const LIBELLES_SENS: Record<Sens, string> = { hausse: 'Plus c’est haut, mieux c’est', baisse: 'Plus c’est bas, mieux c’est' };

export type Unite = '%' | 'nombre' | '€' | 'points';
export type Lecture = { valeur: number; unite: Unite; date: string | null };

const MOIS = 'janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre';
const DATE_SEULE = new RegExp(`^(?:\\d{1,2}(?:er)?\\s+)?(?:${MOIS})\\s+\\d{4}$`, 'i');
const NOMBRE = /([-+−–]?\s?\d{1,3}(?:[  .]\d{3})+(?:,\d+)?|[-+−–]?\s?\d+(?:,\d+)?)\s*(%|€|points?\b|pts?\b)?/u;

/**
 * Reads a figure as a person would from a printed cell: "18,1%", "20,3%(avril 2016)", "2 500 rendez-vous",
 * "+1,2 point". Returns null for what is not a figure ("NC", "-", "Décembre 2015", "réduire l'écart de moitié").
 */
export function lireChiffre(texte: string | null | undefined): Lecture | null {
  if (!texte) return null;
  let t = texte.replace(/\s+/g, ' ').trim();
  let date: string | null = null;
  const entreParentheses = t.match(new RegExp(`\\(((?:\\d{1,2}(?:er)?\\s+)?(?:${MOIS})?\\s*\\d{4})\\)`, 'i'));
  if (entreParentheses) {
    date = entreParentheses[1]!.trim();
    t = t.replace(entreParentheses[0], ' ').trim();
  }
  if (!t || DATE_SEULE.test(t)) return null;
  // "76, 2%": a decimal comma followed by a stray space, as extracted from the PDF.
  t = t.replace(/(\d),\s(\d+\s*%)/g, '$1,$2');
  // "67 emplois créés … soit 54 % des emplois en QPV": the figure that answers is the one after "soit".
  const soit = t.match(/\bsoit\s+(?:au\s+total\s+)?([-+]?\d[\d  ]*(?:,\d+)?\s*%)/i);
  if (soit) t = soit[1]!;
  // A date inside the text ("en 2013/2014", "au 31 décembre 2015") is not the figure.
  t = t.replace(new RegExp(`\\b(?:\\d{1,2}(?:er)?\\s+)?(?:${MOIS})\\s+\\d{4}\\b`, 'gi'), ' ').replace(/\b(?:en|au|de|depuis)\s+\d{4}(?:\/\d{4})?\b/gi, ' ');
  const m = t.match(NOMBRE);
  if (!m) return null;
  const brut = m[1]!.replace(/[−–]/g, '-').replace(/[\s  .]/g, '').replace(',', '.');
  const valeur = Number(brut);
  if (!Number.isFinite(valeur)) return null;
  const signe = m[2] ?? '';
  const unite: Unite = signe === '%' ? '%' : signe === '€' ? '€' : signe.startsWith('p') ? 'points' : 'nombre';
  return { valeur, unite, date };
}

export type Mesurable = {
  nature: NatureCible;
  sens: Sens;
  reference: string | null;
  cible: string | null;
  resultat: string | null;
};

export type Calcul = { taux: number | null; formule: string; raison: string | null };

const arrondi = (n: number) => Math.round(n * 10) / 10 || 0;

/**
 * The realisation rate by rule, in percent (one decimal), or why there is none.
 *  - a level, a share, a count, a coverage (higher is better): résultat ÷ cible;
 *  - lower is better, or halving a gap: progress from the baseline toward the target, (référence − résultat) ÷ (référence − cible);
 *    without a baseline: cible ÷ résultat;
 *  - a change per year: observed change ÷ targeted change, (résultat − référence) ÷ cible;
 *  - a milestone or a qualitative target: no rate.
 */
export function calculerTaux(m: Mesurable): Calcul {
  if (m.nature === 'qualitatif' || m.nature === 'jalon') return { taux: null, formule: '—', raison: 'Objectif qualitatif ou jalon : pas de taux chiffré.' };
  const cible = lireChiffre(m.cible);
  const resultat = lireChiffre(m.resultat);
  const reference = lireChiffre(m.reference);
  if (!cible || !resultat) return { taux: null, formule: '—', raison: !cible ? 'Cible non chiffrée.' : 'Résultat non chiffré.' };
  if (m.nature !== 'evolution_annuelle' && CIBLE_RELATIVE.test(m.cible ?? '')) {
    return { taux: null, formule: '—', raison: 'Cible exprimée comme une évolution relative (« de plus », « doubler ») : pas de taux calculé sans niveau visé.' };
  }
  const memeUnite = (a: Lecture, b: Lecture) => a.unite === b.unite || (a.unite === 'points' && b.unite === '%') || (a.unite === '%' && b.unite === 'points');
  if (m.nature === 'evolution_annuelle') {
    if (!reference) return { taux: null, formule: '(résultat − référence) ÷ cible', raison: 'Référence manquante pour mesurer une évolution.' };
    if (!memeUnite(cible, resultat) || !memeUnite(reference, resultat)) return { taux: null, formule: '(résultat − référence) ÷ cible', raison: 'Unités différentes.' };
    if (cible.valeur === 0) return { taux: null, formule: '(résultat − référence) ÷ cible', raison: 'Cible nulle.' };
    return { taux: arrondi(((resultat.valeur - reference.valeur) / cible.valeur) * 100), formule: '(résultat − référence) ÷ cible', raison: null };
  }
  if (!memeUnite(cible, resultat)) return { taux: null, formule: 'résultat ÷ cible', raison: 'Unités différentes entre la cible et le résultat.' };
  if (m.nature === 'reduction_ecart') {
    // "60,2% (réf. ac. 71,7%) Ecart = 11,5%": what is reduced is the gap, printed after "écart".
    const [r, c, x] = [lireEcart(m.reference) ?? reference, lireEcart(m.cible) ?? cible, lireEcart(m.resultat) ?? resultat];
    if (r && r.valeur !== c.valeur) {
      return { taux: arrondi(((r.valeur - x.valeur) / (r.valeur - c.valeur)) * 100), formule: '(écart de référence − écart constaté) ÷ (écart de référence − écart visé)', raison: null };
    }
  }
  if (m.sens === 'baisse' || m.nature === 'reduction_ecart') {
    if (reference && memeUnite(reference, resultat)) {
      const ecart = reference.valeur - cible.valeur;
      if (ecart === 0) return { taux: null, formule: '(référence − résultat) ÷ (référence − cible)', raison: 'La cible est égale à la référence.' };
      return { taux: arrondi(((reference.valeur - resultat.valeur) / ecart) * 100), formule: '(référence − résultat) ÷ (référence − cible)', raison: null };
    }
    if (resultat.valeur === 0) return { taux: null, formule: 'cible ÷ résultat', raison: 'Résultat nul.' };
    return { taux: arrondi((cible.valeur / resultat.valeur) * 100), formule: 'cible ÷ résultat', raison: null };
  }
  if (cible.valeur === 0) return { taux: null, formule: 'résultat ÷ cible', raison: 'Cible nulle.' };
  return { taux: arrondi((resultat.valeur / cible.valeur) * 100), formule: 'résultat ÷ cible', raison: null };
}

const CIBLE_RELATIVE = /\bde plus\b|\bde moins\b|\bdoubler\b|\baugmentation de\b|\bdiminution de\b/i;

function lireEcart(texte: string | null): Lecture | null {
  const m = texte?.match(/[ée]cart\s*=\s*([^;]+)/i);
  return m ? lireChiffre(m[1]!) : null;
}

/**
 * Which printed cell is the year's result. In most sheets the columns are "Résultat 2014 | Objectif |
 * Résultat 2015 | Taux"; in some the first column is already the year's result ("Résultat 2015 | Objectif |
 * Résultat (date) | Taux") and the third a later update, often only a date: the update counts when it is a
 * figure, the first column otherwise, and there is no baseline.
 */
export function lectureDesColonnes(colonnes: string | null, m: { reference: string | null; resultat: string | null }): { reference: string | null; resultat: string | null; note: string | null } {
  const premiere = colonnes?.split('|')[0]?.trim() ?? '';
  const troisieme = colonnes?.split('|')[2]?.trim() ?? '';
  if (/^Résultat \d{4}$/i.test(premiere) && /^Résultat \(date\)$/i.test(troisieme)) {
    if (lireChiffre(m.resultat)) return { reference: null, resultat: m.resultat, note: `résultat : colonne « ${troisieme} »` };
    return { reference: null, resultat: m.reference, note: `résultat : colonne « ${premiere} »` };
  }
  return { ...m, note: null };
}

export const ALERTES = {
  taux_divergent: 'Le taux déclaré ne découle pas des chiffres',
  resultat_copie: 'Résultat identique à celui d’une autre fiche',
  taux_plafonne: 'Taux déclaré plafonné à 100 %',
  unites_differentes: 'Unités différentes entre cible et résultat',
  donnee_manquante: 'Donnée manquante',
} as const;
export type CodeAlerte = keyof typeof ALERTES;
export type Alerte = { code: CodeAlerte; message: string };

/** Within one point: a rate printed as a whole number still agrees with its one-decimal computation. */
export const TOLERANCE_TAUX = 1;

/** The flags of one measure, given its rate computed by rule and the declared one. */
export function alertesMesure(m: Mesurable & { tauxDeclare: string | null }, calcul: Calcul): Alerte[] {
  const out: Alerte[] = [];
  const lu = lireChiffre(m.tauxDeclare);
  const declare = lu && lu.unite === '%' ? lu : null;
  if (lu && !declare) out.push({ code: 'unites_differentes', message: `Le taux déclaré « ${m.tauxDeclare} » n’est pas un pourcentage.` });
  const quantitatif = m.nature !== 'qualitatif' && m.nature !== 'jalon';
  if (quantitatif) {
    const manque = [!lireChiffre(m.cible) && 'cible', !lireChiffre(m.resultat) && 'résultat', !lu && lireChiffre(m.resultat) && 'taux déclaré'].filter(Boolean);
    if (manque.length) out.push({ code: 'donnee_manquante', message: `${ALERTES.donnee_manquante} : ${manque.join(', ')}.` });
  }
  if (calcul.raison?.startsWith('Unités différentes')) out.push({ code: 'unites_differentes', message: `${ALERTES.unites_differentes} (« ${m.cible} » et « ${m.resultat} »).` });
  if (declare && calcul.taux !== null) {
    if (Math.abs(declare.valeur - calcul.taux) >= TOLERANCE_TAUX) {
      out.push({ code: 'taux_divergent', message: `${ALERTES.taux_divergent} : déclaré ${formatTaux(declare.valeur)}, calculé ${formatTaux(calcul.taux)}.` });
    }
    if (declare.valeur === 100 && calcul.taux > 100 + TOLERANCE_TAUX) {
      out.push({ code: 'taux_plafonne', message: `${ALERTES.taux_plafonne} alors que le calcul donne ${formatTaux(calcul.taux)}.` });
    }
  }
  return out;
}

export type MesureCampagne = { cle: string; fiche: number; indicateur: string; resultat: string | null; taux: string | null };

/**
 * Measures whose printed result (and rate) repeats, character for character, the result of a sheet about
 * another indicator: the bilan 2015 shows the same "20,3%(avril 2016) 113%" under three different targets.
 * A bare date or an empty cell is not a result.
 */
export function resultatsCopies(mesures: readonly MesureCampagne[]): Map<string, number[]> {
  const parResultat = new Map<string, MesureCampagne[]>();
  for (const m of mesures) {
    if (!lireChiffre(m.resultat)) continue;
    const cle = `${normaliser(m.resultat)}|${normaliser(m.taux)}`;
    parResultat.set(cle, [...(parResultat.get(cle) ?? []), m]);
  }
  const out = new Map<string, number[]>();
  for (const groupe of parResultat.values()) {
    if (groupe.length < 2) continue;
    for (const m of groupe) {
      const autres = groupe.filter((o) => o.fiche !== m.fiche && normaliser(o.indicateur) !== normaliser(m.indicateur)).map((o) => o.fiche);
      if (autres.length) out.set(m.cle, [...new Set(autres)]);
    }
  }
  return out;
}

const normaliser = (s: string | null) => (s ?? '').replace(/\s+/g, '').toLowerCase();

export function alerteCopie(fiches: number[]): Alerte {
  return { code: 'resultat_copie', message: `${ALERTES.resultat_copie} (fiche${fiches.length > 1 ? 's' : ''} n° ${fiches.join(', ')}).` };
}

export function formatTaux(n: number): string {
  return `${n.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} %`;
}

/** Where a rate falls, for the bilan's distribution chart. */
export const TRANCHES_TAUX = [
  { code: 'moins_50', libelle: 'Moins de 50 %', de: -Infinity, a: 50 },
  { code: '50_80', libelle: 'De 50 à 80 %', de: 50, a: 80 },
  { code: '80_100', libelle: 'De 80 à 100 %', de: 80, a: 100 },
  { code: '100_plus', libelle: '100 % et plus', de: 100, a: Infinity },
] as const;
export function tranche(taux: number | null): string {
  if (taux === null) return 'sans_taux';
  return TRANCHES_TAUX.find((t) => taux >= t.de && taux < t.a)!.code;
}

// The life of a sheet in a campaign, as data. The permission named is asked of the policy module
// about the sheet's organisation; `commentaire` says whether the step needs one.
export const STATUTS_FICHE = ['a_remplir', 'soumise', 'renvoyee', 'validee'] as const;
export type StatutFiche = (typeof STATUTS_FICHE)[number];
export const LIBELLES_STATUT: Record<StatutFiche, string> = {
  a_remplir: 'À remplir',
  soumise: 'Soumise',
  renvoyee: 'Renvoyée pour correction',
  validee: 'Validée',
};

export type PermissionFiche = 'fiches.saisir' | 'campagnes.piloter';
export type EtapeFiche = 'enregistrer' | 'soumettre' | 'valider' | 'renvoyer' | 'rouvrir';
export const TRANSITIONS_FICHE: Record<EtapeFiche, { de: readonly StatutFiche[]; vers: StatutFiche | null; permission: PermissionFiche; commentaire: boolean; libelle: string }> = {
  enregistrer: { de: ['a_remplir', 'renvoyee'], vers: null, permission: 'fiches.saisir', commentaire: false, libelle: 'Enregistrer le brouillon' },
  soumettre: { de: ['a_remplir', 'renvoyee'], vers: 'soumise', permission: 'fiches.saisir', commentaire: false, libelle: 'Soumettre à la direction de projet' },
  valider: { de: ['soumise'], vers: 'validee', permission: 'campagnes.piloter', commentaire: false, libelle: 'Valider' },
  renvoyer: { de: ['soumise'], vers: 'renvoyee', permission: 'campagnes.piloter', commentaire: true, libelle: 'Renvoyer pour correction' },
  rouvrir: { de: ['soumise', 'validee'], vers: 'renvoyee', permission: 'campagnes.piloter', commentaire: true, libelle: 'Rouvrir la saisie' },
};
export const ETAPES_FICHE = Object.keys(TRANSITIONS_FICHE) as EtapeFiche[];

/** Entry (saving, submitting) closes at the campaign's deadline, unless the direction reopened the sheet. */
export function saisieOuverte(f: { statut: StatutFiche; rouverte: boolean }, campagne: { echeance: string | null; close: boolean }, aujourdhui: string): boolean {
  if (!TRANSITIONS_FICHE.enregistrer.de.includes(f.statut)) return false;
  if (f.rouverte) return true;
  return !campagne.close && campagne.echeance !== null && aujourdhui <= campagne.echeance;
}

export type RefusEtape = 'statut' | 'echeance' | 'commentaire';
/** Whether a step may be taken now (the actor's permission is asked separately). */
export function etapePossible(
  etape: EtapeFiche,
  f: { statut: StatutFiche; rouverte: boolean },
  campagne: { echeance: string | null; close: boolean },
  aujourdhui: string,
  commentaire: string,
): RefusEtape | null {
  const t = TRANSITIONS_FICHE[etape];
  if (!t.de.includes(f.statut)) return 'statut';
  if (t.permission === 'fiches.saisir' && !saisieOuverte(f, campagne, aujourdhui)) return 'echeance';
  if (t.commentaire && !commentaire.trim()) return 'commentaire';
  return null;
}

export const MESSAGES_REFUS: Record<RefusEtape, string> = {
  statut: 'Cette étape n’est pas possible dans l’état actuel de la fiche.',
  echeance: 'La saisie est close : l’échéance de la campagne est passée. La direction de projet peut rouvrir la fiche.',
  commentaire: 'Un commentaire est obligatoire pour cette étape.',
};


export type SourceValeur = { document: string; lignes: number[]; valeur: string | null; origine: string };

/**
 * Sources that state the same commitment with different figures (the booklet says 18 %, the sheet 13 %):
 * each distinct figure with the sources that print it. Empty when they agree or when only one figure is known.
 */
export function sourcesDivergentes(sources: readonly SourceValeur[]): { valeur: string; sources: SourceValeur[] }[] {
  const parValeur = new Map<string, { valeur: string; sources: SourceValeur[] }>();
  for (const s of sources) {
    const lu = lireChiffre(s.valeur);
    if (!lu) continue;
    const cle = `${lu.valeur}|${lu.unite}`;
    const g = parValeur.get(cle) ?? { valeur: s.valeur!, sources: [] };
    g.sources.push(s);
    parValeur.set(cle, g);
  }
  return parValeur.size > 1 ? [...parValeur.values()] : [];
}

export const LIBELLES_ORIGINE: Record<string, string> = {
  contrat: 'Contrat de ville',
  livret: 'Livret des dispositifs de droit commun',
  fiche: 'Fiche de suivi',
  saisie: 'Saisie dans Pilotis',
};
