import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/platform/db/connect.ts';
import { adresse, territoire } from '../src/territoires/schema.ts';
import { bboxOf } from '../src/territoires/geo/geometry.ts';
import { voieCle } from '../src/territoires/geo/adresse.ts';
import type { LigneAdresse } from '../src/territoires/geo/geocodeur.ts';
import type { AreaGeometry, Zone, ZoneType } from '../src/territoires/geo/types.ts';
import { geoFile } from './geo-data.ts';

// Puts the real open-data files into a test database, straight through drizzle: the locator's tests
// need contours and addresses whatever the state of the importers.

type Feature = { properties: Record<string, string | number>; geometry: AreaGeometry };
const LAYERS = {
  qpv: { file: 'qpv2015_paris.geojson', type: 'qpv', geographie: '2015', code: 'CODE_QP', nom: 'NOM_QP' },
  arrondissements: { file: 'paris_arrondissements.geojson', type: 'arrondissement', geographie: 'cog', code: 'c_arinsee', nom: 'l_aroff' },
  iris: { file: 'iris_paris.geojson', type: 'iris', geographie: 'cog', code: 'CODE_IRIS', nom: 'NOM_IRIS' },
} as const;
export type Layer = keyof typeof LAYERS;

/** The zones of a layer as the files give them (no database): for pure tests and the bench. */
export function zonesDuFichier(layer: Layer): Zone[] {
  const l = LAYERS[layer];
  const features = (JSON.parse(readFileSync(geoFile(l.file), 'utf8')) as { features: Feature[] }).features;
  return features.map((f) => ({ id: String(f.properties[l.code]), type: l.type as ZoneType, code: String(f.properties[l.code]), nom: String(f.properties[l.nom]), geometry: f.geometry }));
}

/** Upserts the contours of the given layers into a contract (names already known are kept). */
export async function chargerContours(db: Db, contratId: string, layers: Layer[] = ['qpv', 'arrondissements', 'iris']): Promise<void> {
  for (const layer of layers) {
    const l = LAYERS[layer];
    const rows = zonesDuFichier(layer).map((z) => ({
      contratId,
      type: l.type,
      geographie: l.geographie,
      code: z.code,
      nom: z.nom,
      nomOfficiel: z.nom,
      source: `${l.file} (test)`,
      contour: z.geometry,
      bbox: bboxOf(z.geometry),
      contourSource: l.file,
    }));
    for (let i = 0; i < rows.length; i += 200) {
      await db
        .insert(territoire)
        .values(rows.slice(i, i + 200))
        .onConflictDoUpdate({
          target: [territoire.contratId, territoire.type, territoire.geographie, territoire.code],
          set: { contour: sql`excluded.contour`, bbox: sql`excluded.bbox`, contourSource: sql`excluded.contour_source`, nomOfficiel: sql`excluded.nom_officiel` },
        });
    }
  }
}

let ban: LigneAdresse[] | undefined;

/** The 158 048 addresses of the Paris BAN file, parsed once per test file. */
export function lignesBan(): LigneAdresse[] {
  if (ban) return ban;
  const lines = gunzipSync(readFileSync(geoFile('ban_adresses-75.csv.gz'))).toString('utf8').split('\n');
  const header = lines[0]!.split(';');
  const col = (name: string) => header.indexOf(name);
  const [id, numero, rep, nomVoie, cp, insee, lon, lat] = ['id', 'numero', 'rep', 'nom_voie', 'code_postal', 'code_insee', 'lon', 'lat'].map(col) as number[];
  ban = [];
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const c = line.split(';');
    ban.push({
      id: c[id!]!,
      numero: c[numero!] ? Number(c[numero!]) : null,
      rep: c[rep!] || null,
      nomVoie: c[nomVoie!]!,
      voieCle: voieCle(c[nomVoie!]!),
      codePostal: c[cp!] || null,
      codeInsee: c[insee!]!,
      lon: Number(c[lon!]),
      lat: Number(c[lat!]),
    });
  }
  return ban;
}

/** Inserts addresses of the BAN file: all of them, or those the filter keeps (a few streets, an arrondissement). */
export async function chargerAdresses(db: Db, filtre: (l: LigneAdresse) => boolean = () => true): Promise<number> {
  const rows = lignesBan().filter(filtre);
  for (let i = 0; i < rows.length; i += 2000) await db.insert(adresse).values(rows.slice(i, i + 2000)).onConflictDoNothing();
  return rows.length;
}

/** The streets most tests need: the three QPV examples, a street crossing a QPV edge, and a few far from any QPV. */
export const VOIES_DE_TEST = new Set(
  [
    'Avenue Joseph Bédier',
    'Rue Emile Blémont',
    'Rue de la Solidarité',
    'Rue de la Chapelle',
    'Boulevard de la Chapelle',
    "Rue de la Goutte d'Or",
    'Rue Léon',
    'Rue des Rosiers',
    'Rue de Rivoli',
    'Rue des Lilas',
    'Rue Ordener',
    'Rue Marcadet',
    'Rue Pajol',
  ].map(voieCle),
);
export const adresseDeTest = (l: LigneAdresse) => VOIES_DE_TEST.has(l.voieCle);
