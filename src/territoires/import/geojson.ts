import type { AreaGeometry, Position } from '../geo/types.ts';
import { bboxOf, type Bbox } from '../geo/geometry.ts';
import { CODE_QPV, geographieDuCodeQpv, validerCodeTerritoire } from '../model.ts';
import { cite, entier, ImportFailure } from './model.ts';
import { featureLines, findJsonError } from './json.ts';

// The GeoJSON layers: QPV contours (2015 and 2024 property names), arrondissements, IRIS.
// The whole file is checked before anything is written; the first problem is reported with the
// line and the property concerned.

export type LayerKind = 'qpv' | 'arrondissements' | 'iris';
export type TerritoireType = 'qpv' | 'arrondissement' | 'iris';

export type ParsedTerritoire = {
  type: TerritoireType;
  geographie: string;
  code: string;
  nom: string;
  /** The name as the file spells it (for arrondissements, their official name: "Buttes-Montmartre"). */
  nomOfficiel: string;
  /** What the file says of the commune(s): an INSEE code for IRIS, a label for QPV; null if absent. */
  commune: string | null;
  contour: AreaGeometry;
  bbox: Bbox;
  /** 1-based position of the feature in the file, and the line it starts on. */
  entite: number;
  ligne: number;
};

type Property = { label: string; aliases: string[] };
type Layer = { type: TerritoireType; code: Property; nom: Property; nomOfficiel?: Property; commune?: Property };

// Names are compared without case: the 2015 files say CODE_QP, the 2024 ones code_qp.
const LAYERS: Record<LayerKind, Layer> = {
  qpv: {
    type: 'qpv',
    code: { label: 'CODE_QP', aliases: ['code_qp', 'code_quartier'] },
    nom: { label: 'NOM_QP', aliases: ['nom_qp', 'lib_qp', 'nom_quartier'] },
    commune: { label: 'COMMUNE_QP', aliases: ['commune_qp', 'lib_com', 'communes_qp'] },
  },
  arrondissements: {
    type: 'arrondissement',
    code: { label: 'c_arinsee', aliases: ['c_arinsee', 'insee_arm', 'code_insee'] },
    nom: { label: 'l_ar', aliases: ['l_ar', 'nom'] },
    nomOfficiel: { label: 'l_aroff', aliases: ['l_aroff'] },
  },
  iris: {
    type: 'iris',
    code: { label: 'CODE_IRIS', aliases: ['code_iris'] },
    nom: { label: 'NOM_IRIS', aliases: ['nom_iris'] },
    commune: { label: 'CODE_COM', aliases: ['code_com', 'insee_com', 'depcom'] },
  },
};

function notGeoJson(detail: string, ligne: number | null = null, colonne: string | null = null): ImportFailure {
  return new ImportFailure(`Le fichier n'est pas un GeoJSON : ${detail}`, ligne, colonne);
}

/** Parses the text as JSON, or fails naming the line and the column of the first syntax error. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const error = findJsonError(text);
    if (!error) throw notGeoJson('contenu illisible.');
    throw notGeoJson(`ligne ${entier(error.ligne)}, colonne ${entier(error.colonne)} : ${error.message}.`, error.ligne, String(error.colonne));
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readProperty(props: Record<string, unknown>, p: Property): unknown {
  for (const [k, v] of Object.entries(props)) if (p.aliases.includes(k.toLowerCase())) return v;
  return undefined;
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

const LAMBERT_HINT = ' Le fichier est peut-être en Lambert-93 (EPSG:2154) : convertissez-le en WGS84 (EPSG:4326).';

/** A Polygon or MultiPolygon in WGS84 with closed rings, or the French reason it is not. */
export function checkGeometry(g: unknown): { ok: true; geometry: AreaGeometry } | { ok: false; detail: string } {
  if (!isObject(g)) return { ok: false, detail: 'géométrie absente.' };
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    return { ok: false, detail: `géométrie de type ${cite(String(g.type))} : un contour doit être un Polygon ou un MultiPolygon.` };
  }
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) return { ok: false, detail: 'coordonnées absentes.' };
  const cleaned: Position[][][] = [];
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0) return { ok: false, detail: 'polygone sans anneau.' };
    const rings: Position[][] = [];
    for (const ring of polygon) {
      if (!Array.isArray(ring) || ring.length < 4) return { ok: false, detail: 'anneau de moins de 4 points.' };
      const out: Position[] = [];
      for (const p of ring) {
        if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
          return { ok: false, detail: `point ${cite(p)} : deux nombres [longitude, latitude] attendus.` };
        }
        const [lon, lat] = p as [number, number];
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
          const hint = Math.abs(lon) > 1000 || Math.abs(lat) > 1000 ? LAMBERT_HINT : '';
          return { ok: false, detail: `point [${lon}, ${lat}] hors des limites WGS84 (longitude de -180 à 180, latitude de -90 à 90).${hint}` };
        }
        out.push([lon, lat]);
      }
      const [first, last] = [out[0]!, out[out.length - 1]!];
      if (first[0] !== last[0] || first[1] !== last[1]) return { ok: false, detail: 'anneau non fermé : son dernier point doit répéter le premier.' };
      rings.push(out);
    }
    cleaned.push(rings);
  }
  const geometry: AreaGeometry = g.type === 'Polygon' ? { type: 'Polygon', coordinates: cleaned[0]! } : { type: 'MultiPolygon', coordinates: cleaned };
  return { ok: true, geometry };
}

/** Every feature of a GeoJSON layer, checked; throws an ImportFailure on the first problem. */
export function parseLayer(kind: LayerKind, content: string, onFeature?: (done: number, total: number) => void): ParsedTerritoire[] {
  const layer = LAYERS[kind];
  const root = parseJson(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content);
  if (!isObject(root) || root.type !== 'FeatureCollection') {
    throw notGeoJson(`l'objet principal doit être une FeatureCollection${isObject(root) && typeof root.type === 'string' ? ` (il est de type ${cite(root.type)})` : ''}.`, 1, 'type');
  }
  if (!Array.isArray(root.features)) throw notGeoJson('la propriété « features » (liste des entités) est absente.', 1, 'features');
  if (root.features.length === 0) throw new ImportFailure('Le fichier ne contient aucune entité.', 1, 'features');
  const features: unknown[] = root.features;
  const lines = featureLines(content);
  const seen = new Map<string, number>();
  const out: ParsedTerritoire[] = [];
  features.forEach((f, i) => {
    const entite = i + 1;
    const ligne = lines[i] ?? 1;
    const where = (code: string | null, colonne: string) => `Ligne ${entier(ligne)}, entité n° ${entier(entite)}${code ? ` (${code})` : ''}, propriété ${colonne}`;
    const fail = (code: string | null, colonne: string, detail: string) => new ImportFailure(`${where(code, colonne)} : ${detail}`, ligne, colonne);
    if (!isObject(f) || f.type !== 'Feature') throw fail(null, 'type', 'une entité de type « Feature » est attendue.');
    const props = isObject(f.properties) ? f.properties : {};
    const code = text(readProperty(props, layer.code));
    if (!code) throw fail(null, layer.code.label, `absente ou vide (propriétés lues : ${Object.keys(props).slice(0, 8).join(', ') || 'aucune'}).`);
    let geographie = 'cog';
    if (layer.type === 'qpv') {
      const g = geographieDuCodeQpv(code);
      if (!g) {
        throw fail(null, layer.code.label, `${cite(code)} n'est pas un code de quartier prioritaire (attendu : ${CODE_QPV['2015'].attendu} pour la géographie 2015, ${CODE_QPV['2024'].attendu} pour la géographie 2024).`);
      }
      geographie = g;
    } else {
      const problem = validerCodeTerritoire(layer.type, geographie, code);
      if (problem) throw fail(null, layer.code.label, problem);
    }
    const nom = text(readProperty(props, layer.nom));
    if (!nom) throw fail(code, layer.nom.label, 'absente ou vide.');
    const commune = layer.commune ? text(readProperty(props, layer.commune)) : null;
    if (layer.type === 'iris') {
      if (!commune) throw fail(code, layer.commune!.label, 'absente ou vide.');
      if (!code.startsWith(commune)) throw fail(code, layer.commune!.label, `${cite(commune)} ne correspond pas au code IRIS ${code} (ses 5 premiers caractères).`);
    }
    const checked = checkGeometry(f.geometry);
    if (!checked.ok) throw fail(code, 'geometry', checked.detail);
    const previous = seen.get(`${geographie}|${code}`);
    if (previous) throw fail(code, layer.code.label, `code en double (déjà à l'entité n° ${entier(previous)}).`);
    seen.set(`${geographie}|${code}`, entite);
    const nomOfficiel = (layer.nomOfficiel && text(readProperty(props, layer.nomOfficiel))) || nom;
    out.push({ type: layer.type, geographie, code, nom, nomOfficiel, commune, contour: checked.geometry, bbox: bboxOf(checked.geometry), entite, ligne });
    onFeature?.(entite, features.length);
  });
  return out;
}
