import type { AreaGeometry } from '../geo/types.ts';
import type { Bbox } from '../geo/geometry.ts';
import type { ParsedTerritoire } from './geojson.ts';
import type { InseeFile } from './insee.ts';
import { inseeSource } from './insee.ts';

// What an import will change, decided before anything is written: compared value by value with
// what the database holds, so that the same file imported twice changes nothing.

/** The département of a commune or arrondissement code (75118 → 75, 97411 → 974, 2A004 → 2A). */
export function departementOfCommune(code: string): string {
  return code.startsWith('97') ? code.slice(0, 3) : code.slice(0, 2);
}

/** The département of a QPV code (QP075012 → 75, QP02A001 → 2A, QP971001 → 971). */
export function departementOfQpv(code: string): string {
  const d = code.slice(2, 5);
  return d.startsWith('0') ? d.slice(1) : d;
}

export function departementOf(t: Pick<ParsedTerritoire, 'type' | 'code'>): string {
  return t.type === 'qpv' ? departementOfQpv(t.code) : departementOfCommune(t.code);
}

/** Deep equality of JSON values, whatever the key order (jsonb reorders keys). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameJson(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export type ExistingTerritoire = {
  id: string;
  type: string;
  geographie: string;
  code: string;
  nom: string;
  nomOfficiel: string | null;
  contour: unknown;
  bbox: unknown;
  contourSource: string | null;
};

export type TerritoireFields = { nomOfficiel: string; contour: AreaGeometry; bbox: Bbox; contourSource: string };
export type TerritoirePlan = {
  inserts: (TerritoireFields & { type: string; geographie: string; code: string; nom: string; source: string })[];
  updates: { before: ExistingTerritoire; patch: Partial<TerritoireFields> }[];
  inchanges: number;
  ignores: number;
};

export const territoireKey = (t: { type: string; geographie: string; code: string }) => `${t.type}|${t.geographie}|${t.code}`;

/**
 * Territories of the file that the contract has are updated where they differ (the contract's own
 * name is never touched: the file's spelling goes to nomOfficiel); those it lacks are added when they
 * lie in one of its départements (all are, if it has no commune or arrondissement yet); the others
 * are ignored, so that a national file loads only what concerns the contract.
 */
export function planTerritoires(parsed: ParsedTerritoire[], existing: ExistingTerritoire[], fichier: string, departements: Set<string>): TerritoirePlan {
  const byKey = new Map(existing.map((t) => [territoireKey(t), t]));
  const plan: TerritoirePlan = { inserts: [], updates: [], inchanges: 0, ignores: 0 };
  for (const p of parsed) {
    const fields: TerritoireFields = { nomOfficiel: p.nomOfficiel, contour: p.contour, bbox: p.bbox, contourSource: fichier };
    const before = byKey.get(territoireKey(p));
    if (!before) {
      if (departements.size && !departements.has(departementOf(p))) plan.ignores++;
      else plan.inserts.push({ ...fields, type: p.type, geographie: p.geographie, code: p.code, nom: p.nom, source: fichier });
      continue;
    }
    const patch: Partial<TerritoireFields> = {};
    if (before.nomOfficiel !== fields.nomOfficiel) patch.nomOfficiel = fields.nomOfficiel;
    if (!sameJson(before.contour, fields.contour)) patch.contour = fields.contour;
    if (!sameJson(before.bbox, fields.bbox)) patch.bbox = fields.bbox;
    if (before.contourSource !== fields.contourSource) patch.contourSource = fields.contourSource;
    if (Object.keys(patch).length) plan.updates.push({ before, patch });
    else plan.inchanges++;
  }
  return plan;
}

export type ExistingValeur = { id: string; territoireId: string; indicateur: string; millesime: string; source: string; valeur: number | null; texte: string | null };
export type NewValeur = { territoireId: string; indicateur: string; valeur: number; texte: string; millesime: string; source: string };
export type ValeurPlan = { inserts: NewValeur[]; updates: { id: string; set: Omit<NewValeur, 'territoireId' | 'indicateur' | 'millesime'> }[]; inchanges: number; ignores: number };

/**
 * Figures of the QPV the contract has; rows about other QPV are ignored. A figure already brought
 * by the same file kind and vintage (source "INSEE DEMO_2022 (…)") is the same figure, even if the
 * file was renamed or its lines moved: it is updated, not duplicated.
 */
export function planValeurs(file: InseeFile, fichier: string, qpvIds: Map<string, string>, existing: ExistingValeur[]): ValeurPlan {
  const prefix = `INSEE ${file.label} (`;
  const byKey = new Map(existing.filter((v) => v.millesime === file.millesime && v.source.startsWith(prefix)).map((v) => [`${v.territoireId}|${v.indicateur}`, v]));
  const plan: ValeurPlan = { inserts: [], updates: [], inchanges: 0, ignores: 0 };
  for (const l of file.lignes) {
    const territoireId = qpvIds.get(`${l.geographie}|${l.code}`);
    if (!territoireId) {
      plan.ignores++;
      continue;
    }
    const source = inseeSource(file, fichier, l.ligne);
    for (const v of l.valeurs) {
      const before = byKey.get(`${territoireId}|${v.indicateur}`);
      if (!before) plan.inserts.push({ territoireId, indicateur: v.indicateur, valeur: v.valeur, texte: v.texte, millesime: file.millesime, source });
      else if (before.valeur !== v.valeur || before.texte !== v.texte || before.source !== source) {
        plan.updates.push({ id: before.id, set: { valeur: v.valeur, texte: v.texte, source } });
      } else plan.inchanges++;
    }
  }
  return plan;
}
