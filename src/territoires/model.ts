import { z } from '../platform/validation.ts';
import type { AdresseIntrouvable, Localisation, StatutQpv } from './geo/types.ts';

// The priority geography as data and pure rules: codes, indicators, printed French numbers,
// totals computed (never typed), sources compared (never silently reconciled), and the
// "quartier vécu" rule of the contract (seed 002 l.860-872).

export const TERRITOIRE_TYPES = ['commune', 'arrondissement', 'qpv', 'qva', 'iris'] as const;
export type TerritoireType = (typeof TERRITOIRE_TYPES)[number];

/** The QPV zonings: 2015 (codes QP…, decree 2014-1750) and 2024 (codes QN…). Both can live side by side. */
export const GEOGRAPHIES_QPV = ['2015', '2024'] as const;
export type GeographieQpv = (typeof GEOGRAPHIES_QPV)[number];
/** A QPV zoning, or the INSEE vintage of an administrative code ('cog' when unstated). */
export type Geographie = 'cog' | `${number}`;

// 2015: « QP » + department on 3 characters + 3 digits (QP075012). 2024: data.gouv.fr documents
// « QNXXXYYZ » (department on 3 characters, order, one last character, digit or letter). Corsica's
// 02A/02B keeps a letter in the department part.
export const CODE_QPV: Record<GeographieQpv, { motif: RegExp; attendu: string }> = {
  '2015': { motif: /^QP\d{2}[\dAB]\d{3}$/, attendu: '« QP » suivi de 6 caractères (ex. QP075012)' },
  '2024': { motif: /^QN\d{2}[\dAB]\d{2}[\dA-Z]$/, attendu: '« QN » suivi de 6 caractères (ex. QN075012)' },
};

// Départements 2A/2B keep COG codes alphanumeric; everything else is digits.
const CODE_COG = /^(\d{2}|2A|2B)\d{3}$/;
const CODE_IRIS = /^(\d{2}|2A|2B)\d{7}$/;
const CODE_QVA = /^QVA-(\d{2,3}|2A|2B)-\d{2}$/;

export function estGeographieQpv(g: string): g is GeographieQpv {
  return (GEOGRAPHIES_QPV as readonly string[]).includes(g);
}

/** The QPV geography a code belongs to, read from its prefix; null when it is not a QPV code. */
export function geographieDuCodeQpv(code: string): GeographieQpv | null {
  for (const g of GEOGRAPHIES_QPV) if (CODE_QPV[g].motif.test(code)) return g;
  return null;
}

/** Null when the code fits the type and geography, otherwise the French reason it does not. */
export function validerCodeTerritoire(type: string, geographie: string, code: string): string | null {
  if (!(TERRITOIRE_TYPES as readonly string[]).includes(type)) return `Type de territoire inconnu : « ${type} ».`;
  if (type === 'qpv') {
    if (!estGeographieQpv(geographie)) return `Géographie prioritaire inconnue : « ${geographie} » (attendu : 2015 ou 2024).`;
    const { motif, attendu } = CODE_QPV[geographie];
    return motif.test(code) ? null : `Le code « ${code} » n'est pas un code QPV de la géographie ${geographie} (attendu : ${attendu}).`;
  }
  if (geographie !== 'cog' && !/^\d{4}$/.test(geographie)) return `Millésime de géographie invalide : « ${geographie} ».`;
  const motif = type === 'iris' ? CODE_IRIS : type === 'qva' ? CODE_QVA : CODE_COG;
  return motif.test(code) ? null : `Le code « ${code} » n'est pas un code ${type} valide.`;
}

export const INDICATEURS = {
  population: { libelle: 'Population', unite: 'habitants' },
  // The contract's "Revenu médian" (Insee, RFL2011 – Cget) is the median *declared* income per
  // consumption unit (revenus fiscaux localisés): INSEE's DECUC_Q2, not DISP_Q2 (disposable, after
  // taxes and benefits). Two measures, two indicators, so that only like is compared with like.
  revenu_median: { libelle: 'Revenu fiscal (déclaré) médian par unité de consommation', unite: '€/UC' },
  revenu_disponible_median: { libelle: 'Revenu disponible médian par unité de consommation', unite: '€/UC' },
  taux_pauvrete: { libelle: 'Taux de pauvreté', unite: '%' },
  population_qpv: { libelle: 'Population des quartiers prioritaires', unite: 'habitants' },
  nombre_qpv: { libelle: 'Nombre de quartiers prioritaires', unite: 'quartiers' },
  seuil_bas_revenus: { libelle: 'Seuil de bas revenus', unite: '€ par unité de consommation' },
} as const satisfies Record<string, { libelle: string; unite: string }>;
export type Indicateur = keyof typeof INDICATEURS;

export function estIndicateur(x: string): x is Indicateur {
  return Object.hasOwn(INDICATEURS, x);
}

// A French printed number: spaces (plain, non-breaking U+00A0, narrow U+202F, thin…) group thousands
// by three, a comma marks decimals, a euro or percent sign may follow. Anything else is not read:
// a dot is ambiguous in French print (thousands or decimals), so it is refused rather than guessed.
const NOMBRE_FR = /^([+\-\u2212]?)(\d{1,3}(?:\s\d{3})+|\d+)(?:,(\d+))?(?:\s?(?:€|%))?$/u;

export function parseNombreFr(texte: string | null | undefined): number | null {
  if (texte == null) return null;
  const m = NOMBRE_FR.exec(texte.trim());
  if (!m) return null;
  const [, signe, entier, decimales] = m;
  const n = Number(`${entier!.replace(/\s/gu, '')}${decimales ? `.${decimales}` : ''}`);
  return signe === '-' || signe === '\u2212' ? -n : n;
}

const nombreFr = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const pourcentFr = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 });
export const formatNombreFr = (n: number): string => nombreFr.format(n);
export const formatPourcent = (part: number): string => pourcentFr.format(part);

/** "Paris 18e et 19è", "Paris 10è, 11è et 20è" → INSEE codes of those Paris arrondissements. */
export function arrondissementsParisImprimes(texte: string): string[] {
  const codes: string[] = [];
  for (const m of texte.matchAll(/(\d{1,2})\s*(?:er|ème|eme|e|è)(?![\p{L}\d])/gu)) {
    const n = Number(m[1]);
    if (n >= 1 && n <= 20) codes.push(`751${String(n).padStart(2, '0')}`);
  }
  return [...new Set(codes)];
}

/** A figure as sourced: what pages show, with where it comes from. */
export type ValeurSourcee = { valeur: number | null; texte?: string | null; millesime: string; source: string };
export type ValeurTerritoire = ValeurSourcee & { territoire: string; indicateur: string };

export type Total = { total: number; territoires: number; manquants: string[] };

/**
 * The population of a set of territories, computed from their sourced values of one vintage.
 * Two values for one territory in the selection would make the sum depend on which one is taken:
 * that is refused, the caller narrows by millesime and/or source.
 */
export function totalPopulation(valeurs: ValeurTerritoire[], filtre: { millesime?: string; source?: string } = {}): Total {
  const retenues = valeurs.filter(
    (v) =>
      v.indicateur === 'population' &&
      (filtre.millesime === undefined || v.millesime === filtre.millesime) &&
      (filtre.source === undefined || v.source === filtre.source),
  );
  const vus = new Set<string>();
  let total = 0;
  const manquants: string[] = [];
  for (const v of retenues) {
    if (vus.has(v.territoire)) {
      throw new Error(`Plusieurs populations pour le territoire ${v.territoire} : précisez le millésime ou la source du total.`);
    }
    vus.add(v.territoire);
    if (v.valeur === null) manquants.push(v.territoire);
    else total += v.valeur;
  }
  return { total, territoires: vus.size, manquants };
}

export type Ecart<V> = { a: V; b: V; ecartRelatif: number; memeMillesime: boolean };
export type ComparaisonSources<V> = {
  /** Every value, oldest vintage first, then by source. */
  valeurs: V[];
  parMillesime: { millesime: string; valeurs: V[]; desaccord: boolean }[];
  /** True as soon as two sources give different values, whatever their vintage. */
  desaccord: boolean;
  ecarts: Ecart<V>[];
  ecartRelatifMax: number | null;
};

/** |a − b| / max(|a|, |b|): symmetric, so no source is privileged as "the right one". */
export function ecartRelatif(a: number, b: number): number {
  const m = Math.max(Math.abs(a), Math.abs(b));
  return m === 0 ? 0 : Math.abs(a - b) / m;
}

/**
 * The values of one indicator of one territory, grouped by vintage and source. A difference is
 * always reported, never averaged or resolved: pages show every source and say where they differ
 * (memeMillesime tells a contradiction from an evolution between vintages).
 */
export function comparerSources<V extends ValeurSourcee>(valeurs: V[]): ComparaisonSources<V> {
  const triees = [...valeurs].sort((x, y) => x.millesime.localeCompare(y.millesime) || x.source.localeCompare(y.source));
  const ecarts: Ecart<V>[] = [];
  for (let i = 0; i < triees.length; i++) {
    for (let j = i + 1; j < triees.length; j++) {
      const a = triees[i]!;
      const b = triees[j]!;
      if (a.valeur === null || b.valeur === null || a.valeur === b.valeur) continue;
      ecarts.push({ a, b, ecartRelatif: ecartRelatif(a.valeur, b.valeur), memeMillesime: a.millesime === b.millesime });
    }
  }
  const millesimes = [...new Set(triees.map((v) => v.millesime))];
  const parMillesime = millesimes.map((millesime) => ({
    millesime,
    valeurs: triees.filter((v) => v.millesime === millesime),
    desaccord: ecarts.some((e) => e.memeMillesime && e.a.millesime === millesime),
  }));
  return {
    valeurs: triees,
    parMillesime,
    desaccord: ecarts.length > 0,
    ecarts,
    ecartRelatifMax: ecarts.length ? Math.max(...ecarts.map((e) => e.ecartRelatif)) : null,
  };
}

export type EcartContrat = { calcule: number; imprime: number; concorde: boolean; ecart: number; ecartRelatif: number; explication: string };

/** A total printed in the contract against the total computed from its own table: a difference is shown, not fixed. */
export function ecartContrat(calcule: number, imprime: number): EcartContrat {
  const ecart = calcule - imprime;
  const relatif = ecartRelatif(calcule, imprime);
  const explication =
    ecart === 0
      ? `Le total calculé à partir du tableau (${formatNombreFr(calcule)}) est égal au chiffre imprimé dans le contrat (${formatNombreFr(imprime)}).`
      : `Le total calculé à partir du tableau (${formatNombreFr(calcule)}) diffère du chiffre imprimé dans le contrat ` +
        `(${formatNombreFr(imprime)}) : écart de ${formatNombreFr(ecart)} (${formatPourcent(relatif)}). Les deux chiffres sont affichés ; aucun n'est corrigé.`;
  return { calcule, imprime, concorde: ecart === 0, ecart, ecartRelatif: relatif, explication };
}

// ——— Quartier vécu (seed 002 l.865-869): "dès lors qu'au moins 50% du public concerné est constitué
// d'habitants de quartiers prioritaires, la structure […] peut prétendre à l'octroi de crédits spécifiques".

export const SEUIL_QUARTIER_VECU = 0.5;

export type PersonneQuartierVecu = StatutQpv | { statut: StatutQpv; qpv?: string | null };
export type PublicQuartierVecu =
  | { statuts: PersonneQuartierVecu[] }
  /** Counts per QPV code, the people whose address is uncertain, and the whole public (all three included). */
  | { parQpv: Record<string, number>; incertains?: number; total: number };

/**
 * eligible: at least 50 % live in a QPV even if every uncertain person lives outside.
 * non_eligible: under 50 % even if every uncertain person lives in a QPV.
 * indetermine: the uncertain people decide (or there is nobody to count): check them before concluding.
 */
export type StatutQuartierVecu = 'eligible' | 'non_eligible' | 'indetermine';

export type ResultatQuartierVecu = {
  statut: StatutQuartierVecu;
  /** True only when statut is 'eligible': an uncertain answer never counts as yes. */
  eligible: boolean;
  /** Share sure to live in a QPV (the uncertain counted outside). */
  part: number;
  /** Share if every uncertain person lived in a QPV. */
  partMax: number;
  seuil: typeof SEUIL_QUARTIER_VECU;
  qpv: number;
  horsQpv: number;
  incertains: number;
  total: number;
  parQpv: { code: string; nombre: number }[];
  explication: string;
};

const entierPositif = z.number().int('Un nombre entier est attendu.').min(0, 'Le nombre ne peut pas être négatif.');

/** The counts form of the rule, as a page or the API receives it. */
export const comptesQuartierVecuSchema = z
  .object({
    parQpv: z.record(z.string().min(1), entierPositif),
    incertains: entierPositif.default(0),
    total: entierPositif,
  })
  .refine((c) => Object.values(c.parQpv).reduce((s, n) => s + n, 0) + c.incertains <= c.total, {
    message: 'Le public total doit être au moins égal aux personnes comptées en quartier prioritaire et aux adresses incertaines.',
    path: ['total'],
  });

function compter(input: PublicQuartierVecu): { parQpv: Map<string, number>; qpv: number; incertains: number; total: number } {
  const parQpv = new Map<string, number>();
  if ('statuts' in input) {
    let qpv = 0;
    let incertains = 0;
    for (const p of input.statuts) {
      const { statut, qpv: code } = typeof p === 'string' ? { statut: p, qpv: null } : p;
      if (statut === 'qpv') {
        qpv++;
        if (code) parQpv.set(code, (parQpv.get(code) ?? 0) + 1);
      } else if (statut === 'incertain') incertains++;
    }
    return { parQpv, qpv, incertains, total: input.statuts.length };
  }
  const c = comptesQuartierVecuSchema.safeParse(input);
  if (!c.success) throw new RangeError(c.error.issues.map((i) => i.message).join(' '));
  let qpv = 0;
  for (const [code, n] of Object.entries(c.data.parQpv)) {
    if (n > 0) parQpv.set(code, n);
    qpv += n;
  }
  return { parQpv, qpv, incertains: c.data.incertains, total: c.data.total };
}

const personnes = (n: number) => `${formatNombreFr(n)} personne${n > 1 ? 's' : ''}`;

/** Whether a structure's public meets the quartier vécu rule; uncertain addresses are counted apart, never guessed. */
export function quartierVecu(input: PublicQuartierVecu): ResultatQuartierVecu {
  const { parQpv, qpv, incertains, total } = compter(input);
  const part = total ? qpv / total : 0;
  const partMax = total ? (qpv + incertains) / total : 0;
  // Integer comparisons: 0.5 is exact, but a share computed in floating point need not be.
  const statut: StatutQuartierVecu =
    total === 0 ? 'indetermine' : 2 * qpv >= total ? 'eligible' : 2 * (qpv + incertains) < total ? 'non_eligible' : 'indetermine';
  const regle = 'au moins 50 % du public habitant un quartier prioritaire';
  const sur = `${personnes(qpv)} sur ${formatNombreFr(total)}`;
  let explication: string;
  if (total === 0) {
    explication = `Aucune personne n'est comptée : la règle du quartier vécu (${regle}) ne peut pas s'appliquer.`;
  } else if (statut === 'eligible') {
    explication =
      `${sur} habitent un quartier prioritaire, soit ${formatPourcent(part)} : avec ${regle}, la structure peut prétendre ` +
      `aux crédits spécifiques au titre du quartier vécu.` +
      (incertains ? ` Le résultat tient même en comptant hors quartier prioritaire les ${personnes(incertains)} dont l'adresse est incertaine.` : '');
  } else if (statut === 'non_eligible') {
    explication =
      `${sur} habitent un quartier prioritaire, soit ${formatPourcent(part)} : la règle du quartier vécu (${regle}) n'est pas remplie.` +
      (incertains
        ? ` Même si les ${personnes(incertains)} dont l'adresse est incertaine habitaient un quartier prioritaire, la part ne serait que de ${formatPourcent(partMax)}.`
        : '');
  } else {
    explication =
      `${sur} habitent sûrement un quartier prioritaire (${formatPourcent(part)}) et l'adresse de ${personnes(incertains)} est incertaine : ` +
      `la part est comprise entre ${formatPourcent(part)} et ${formatPourcent(partMax)}. Le seuil de 50 % dépend de ces adresses : ` +
      `vérifiez-les avant de conclure.`;
  }
  return {
    statut,
    eligible: statut === 'eligible',
    part,
    partMax,
    seuil: SEUIL_QUARTIER_VECU,
    qpv,
    horsQpv: total - qpv - incertains,
    incertains,
    total,
    parQpv: [...parQpv].sort(([a], [b]) => a.localeCompare(b)).map(([code, nombre]) => ({ code, nombre })),
    explication,
  };
}

// --- What other modules may ask of the territoires module --------------------------------------

/** Address → QPV for any module: `req.server.ctx.services.territoires` (provided by src/server.ts). */
export type ServiceTerritoires = {
  /** null while the QPV contours are not imported: the caller must say so, never guess. */
  localiserAdresse(contratId: string, texte: string): Promise<Localisation | AdresseIntrouvable | null>;
  localiserPoint(contratId: string, lon: number, lat: number): Promise<Localisation | null>;
  /** The contract's territories of one type (qpv, qva, arrondissement…), every geography (QPV 2015 and 2024 may both be there), with the ids of those they lie in. */
  lister(contratId: string, type: string): Promise<TerritoireResume[]>;
};

export type TerritoireResume = { id: string; type: string; geographie: string; code: string; nom: string; parentIds: string[] };

declare module '../platform/http/context.ts' {
  interface AppServices {
    territoires: ServiceTerritoires;
  }
}

/** The answer in one French sentence, for any page that shows where an address lies. */
export function phraseStatut(l: Localisation | AdresseIntrouvable, sujet = 'cette adresse'): string {
  const Sujet = sujet.charAt(0).toUpperCase() + sujet.slice(1);
  switch (l.statut) {
    case 'qpv':
      return `Oui, ${sujet} est dans le quartier prioritaire ${l.qpv!.nom} (${l.qpv!.code})`;
    case 'hors_qpv':
      return `Non, ${sujet} n’est dans aucun quartier prioritaire du contrat`;
    case 'incertain':
      return `Incertain : ${l.motif ?? `${Sujet} est près d’une limite de quartier prioritaire.`}`;
    case 'introuvable':
      return 'Adresse introuvable';
  }
}

