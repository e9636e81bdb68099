import { comparerSources, INDICATEURS, estIndicateur, formatNombreFr, formatPourcent, type ValeurSourcee } from './model.ts';

// How the fact sheets, the comparison page and the API present sourced figures: which value is the
// contract's, how sources are named, how a series of comparable values is formed. Pure functions.

/** The contract's own figures carry the seed document they were transcribed from ("seed 002 l.905"). */
export function estSourceContrat(source: string): boolean {
  return /^seed \d+\b/.test(source);
}

/**
 * The source without the line it was read from: "seed 002 l.905" → "seed 002",
 * "INSEE DEMO_2022 (insee_qpv2015_demo_2022.csv l.1283)" → "INSEE DEMO_2022". Values of one family
 * and one vintage form a series that can be compared across territories.
 */
export function familleSource(source: string): string {
  return source
    .replace(/\s*\([^()]*\bl\.\d+(?:-\d+)?\)\s*$/, '')
    .replace(/\s+l\.\d+(?:-\d+)?\s*$/, '')
    .trim();
}

/** The source as a reader understands it; the exact reference stays beside it. */
export function libelleSource(source: string): string {
  return estSourceContrat(source) ? `Contrat de ville, ${source}` : source;
}

export function libelleFamille(famille: string): string {
  return estSourceContrat(famille) ? 'contrat de ville' : famille;
}

export function libelleIndicateur(indicateur: string): string {
  return estIndicateur(indicateur) ? INDICATEURS[indicateur].libelle : indicateur;
}

export function uniteIndicateur(indicateur: string): string {
  return estIndicateur(indicateur) ? INDICATEURS[indicateur].unite : '';
}

/** A value written for a reader: the text as printed when there is one, else the number in French. */
export function texteValeur(v: { valeur: number | null; texte?: string | null }): string {
  if (v.texte) return v.texte;
  return v.valeur === null ? 'non renseigné' : formatNombreFr(v.valeur);
}

/** The contract's source first, then by vintage: the order every list of sources uses. */
function ordreSources<V extends ValeurSourcee>(a: V, b: V): number {
  const contrat = Number(estSourceContrat(b.source)) - Number(estSourceContrat(a.source));
  return contrat || a.millesime.localeCompare(b.millesime) || a.source.localeCompare(b.source);
}

/**
 * The value a list shows first: the contract's when it has one (the contract is what partners signed),
 * otherwise the latest vintage. The others are kept, never dropped: `autres`.
 */
export function chiffrePrincipal<V extends ValeurSourcee>(valeurs: V[]): { principal: V | null; autres: V[] } {
  if (!valeurs.length) return { principal: null, autres: [] };
  const contrat = valeurs.filter((v) => estSourceContrat(v.source)).sort(ordreSources);
  const principal = contrat[0] ?? [...valeurs].sort((a, b) => b.millesime.localeCompare(a.millesime) || a.source.localeCompare(b.source))[0]!;
  return { principal, autres: valeurs.filter((v) => v !== principal).sort(ordreSources) };
}

export function trierSources<V extends ValeurSourcee>(valeurs: V[]): V[] {
  return [...valeurs].sort(ordreSources);
}

export type Divergence<V> = { indicateur: string; valeurs: V[]; memeMillesime: boolean; ecartRelatifMax: number };

/** Per indicator, where the sources give different values (comparerSources), in the order of INDICATEURS. */
export function divergences<V extends ValeurSourcee & { indicateur: string }>(valeurs: V[]): Divergence<V>[] {
  const out: Divergence<V>[] = [];
  for (const indicateur of ordreIndicateurs(valeurs.map((v) => v.indicateur))) {
    const c = comparerSources(valeurs.filter((v) => v.indicateur === indicateur));
    if (!c.desaccord) continue;
    out.push({
      indicateur,
      valeurs: [...c.valeurs].sort(ordreSources),
      memeMillesime: c.ecarts.some((e) => e.memeMillesime),
      ecartRelatifMax: c.ecartRelatifMax ?? 0,
    });
  }
  return out;
}

/** The sentence of a divergence notice: every value with its source and vintage, and the gap. */
export function phraseDivergence<V extends ValeurSourcee>(d: Divergence<V>): string {
  const unite = uniteIndicateur(d.indicateur);
  const valeurs = d.valeurs.map((v) => `${texteValeur(v)}${unite === '%' ? ' %' : ''} selon ${libelleSource(v.source)}, millésime ${v.millesime}`);
  const nature = d.memeMillesime
    ? 'Des sources du même millésime se contredisent.'
    : "Les millésimes diffèrent : l'écart peut traduire une évolution autant qu'une différence de méthode.";
  return `${libelleIndicateur(d.indicateur)} : ${valeurs.join(' ; ')}. Écart relatif maximal : ${formatPourcent(d.ecartRelatifMax)}. ${nature}`;
}

export function ordreIndicateurs(indicateurs: Iterable<string>): string[] {
  const connus = Object.keys(INDICATEURS);
  const rang = (i: string) => (connus.includes(i) ? connus.indexOf(i) : connus.length);
  return [...new Set(indicateurs)].sort((a, b) => rang(a) - rang(b) || a.localeCompare(b));
}

/** A comparable series: one indicator, one vintage, one source family. */
export type Serie = { cle: string; indicateur: string; millesime: string; famille: string; libelle: string };

export function cleSerie(v: { indicateur: string; millesime: string; source: string }): string {
  return `${v.indicateur}:${v.millesime}:${familleSource(v.source)}`;
}

/** Every series present in these values, the contract's first within each indicator. */
export function seriesDe(valeurs: { indicateur: string; millesime: string; source: string }[]): Serie[] {
  const map = new Map<string, Serie>();
  for (const v of valeurs) {
    const cle = cleSerie(v);
    if (map.has(cle)) continue;
    const famille = familleSource(v.source);
    map.set(cle, {
      cle,
      indicateur: v.indicateur,
      millesime: v.millesime,
      famille,
      libelle: `${libelleIndicateur(v.indicateur)} — ${libelleFamille(famille)}, millésime ${v.millesime}`,
    });
  }
  const indicateurs = ordreIndicateurs([...map.values()].map((s) => s.indicateur));
  return [...map.values()].sort(
    (a, b) =>
      indicateurs.indexOf(a.indicateur) - indicateurs.indexOf(b.indicateur) ||
      Number(estSourceContrat(b.famille)) - Number(estSourceContrat(a.famille)) ||
      a.millesime.localeCompare(b.millesime) ||
      a.famille.localeCompare(b.famille),
  );
}

export const TRIS = ['code', 'nom', 'valeur-decroissante', 'valeur-croissante'] as const;
export type Tri = (typeof TRIS)[number];
export const TRI_LIBELLES: Record<Tri, string> = {
  code: 'Code',
  nom: 'Nom',
  'valeur-decroissante': 'Valeur, de la plus forte à la plus faible',
  'valeur-croissante': 'Valeur, de la plus faible à la plus forte',
};

/** Sorts rows for the comparison; missing values always go last, ties by code. */
export function trier<T extends { code: string; nom: string; valeur: number | null }>(rows: T[], tri: Tri): T[] {
  const byCode = (a: T, b: T) => a.code.localeCompare(b.code);
  const compare = (a: T, b: T): number => {
    if (tri === 'code') return byCode(a, b);
    if (tri === 'nom') return a.nom.localeCompare(b.nom, 'fr', { sensitivity: 'base' }) || byCode(a, b);
    if (a.valeur === null || b.valeur === null) return Number(a.valeur === null) - Number(b.valeur === null) || byCode(a, b);
    return (tri === 'valeur-croissante' ? a.valeur - b.valeur : b.valeur - a.valeur) || byCode(a, b);
  };
  return [...rows].sort(compare);
}

/** "QP075012" → "12": the short number drawn on maps, explained beside them. */
export function numeroCourt(code: string): string {
  const m = /(\d{1,3})$/.exec(code);
  return m ? String(Number(m[1])) : code;
}

/** "Géographie prioritaire 2015 (codes QP)". */
export function libelleGeographie(geographie: string): string {
  if (geographie === '2015') return 'Géographie prioritaire 2015 (codes QP)';
  if (geographie === '2024') return 'Géographie prioritaire 2024 (codes QN)';
  return `Géographie ${geographie}`;
}

export type Rattachement = { code: string; nom: string; sources: string[] };

/**
 * The territories a QPV lies in, each once with every source saying so (the contract's table, the
 * intersection of imported contours…), in code order.
 */
export function rattachements(liens: { code: string; nom: string; source: string }[]): Rattachement[] {
  const map = new Map<string, Rattachement>();
  for (const l of liens) {
    const r = map.get(l.code) ?? { code: l.code, nom: l.nom, sources: [] };
    if (!r.sources.includes(l.source)) r.sources.push(l.source);
    map.set(l.code, r);
  }
  return [...map.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** As the contract prints them when it says (its table's "Commune principale"), otherwise every source's. */
export function rattachementsDuContrat(liens: { code: string; nom: string; source: string }[]): Rattachement[] {
  const contrat = liens.filter((l) => estSourceContrat(l.source));
  return rattachements(contrat.length ? contrat : liens);
}

/** "dans le 18e arrondissement", "dans les 10e, 11e et 20e arrondissements"; empty without any. */
export function dansArrondissements(noms: string[]): string {
  if (noms.length <= 1) return noms.length ? `dans le ${noms[0]}` : '';
  const courts = noms.map(arrondissementCourt);
  return `dans les ${courts.slice(0, -1).join(', ')} et ${courts.at(-1)} arrondissements`;
}

/** "18e arrondissement" → "18e"; used where a list of arrondissements would be too long. */
export function arrondissementCourt(nom: string): string {
  return nom.replace(/\s+arrondissement$/i, '');
}
