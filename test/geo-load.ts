import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Db } from '../src/platform/db/connect.ts';
import { SYSTEM } from '../src/defaults.ts';
import { runImport } from '../src/territoires/import/run.ts';
import { voieCle } from '../src/territoires/geo/adresse.ts';
import type { LigneAdresse } from '../src/territoires/geo/geocodeur.ts';
import type { AreaGeometry, Zone, ZoneType } from '../src/territoires/geo/types.ts';
import { geoFile } from './geo-data.ts';

// The real open-data files, for the locator's tests: read as they are (pure tests, the bench), or
// put into a test database through the real importer, as `pilotis import` does.

type Feature = { properties: Record<string, string | number>; geometry: AreaGeometry };
const LAYERS = {
  qpv: { file: 'qpv2015_paris.geojson', type: 'qpv', code: 'CODE_QP', nom: 'NOM_QP' },
  arrondissements: { file: 'paris_arrondissements.geojson', type: 'arrondissement', code: 'c_arinsee', nom: 'l_aroff' },
  iris: { file: 'iris_paris.geojson', type: 'iris', code: 'CODE_IRIS', nom: 'NOM_IRIS' },
} as const;
export type Layer = keyof typeof LAYERS;

/** The zones of a layer as the files give them (no database): for pure tests and the bench. */
export function zonesDuFichier(layer: Layer): Zone[] {
  const l = LAYERS[layer];
  const features = (JSON.parse(readFileSync(geoFile(l.file), 'utf8')) as { features: Feature[] }).features;
  return features.map((f) => ({ id: String(f.properties[l.code]), type: l.type as ZoneType, code: String(f.properties[l.code]), nom: String(f.properties[l.nom]), geometry: f.geometry }));
}

/** Imports the contours of the given layers into a contract, with the real importer (pilotis import). */
export async function chargerContours(db: Db, contratId: string, layers: Layer[] = ['qpv', 'arrondissements', 'iris']): Promise<void> {
  for (const layer of layers) {
    const l = LAYERS[layer];
    const outcome = await runImport({ db, contratId, kind: layer, path: geoFile(l.file), fichier: l.file, by: SYSTEM });
    if (outcome.statut !== 'termine') throw new Error(`Import ${layer} : ${outcome.message}`);
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

/**
 * Imports addresses of the BAN file with the real importer: the whole file, or the lines the filter
 * keeps (a few streets), written to a temporary file first. Contours and addresses are reference data
 * the import writes for the whole instance.
 */
export async function chargerAdresses(db: Db, contratId: string, filtre?: (l: LigneAdresse) => boolean): Promise<number> {
  let path = geoFile('ban_adresses-75.csv.gz');
  let dir: string | null = null;
  let count = 158_048;
  if (filtre) {
    const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
    const keep = new Set(lignesBan().filter(filtre).map((l) => l.id));
    const kept = lines.slice(1).filter((line) => keep.has(line.slice(0, line.indexOf(';'))));
    dir = await mkdtemp(join(tmpdir(), 'pilotis-ban-'));
    path = join(dir, 'ban-extrait.csv');
    await writeFile(path, [lines[0], ...kept].join('\n'));
    count = kept.length;
  }
  try {
    const outcome = await runImport({ db, contratId, kind: 'adresses', path, fichier: 'ban_adresses-75.csv.gz', by: SYSTEM });
    if (outcome.statut !== 'termine') throw new Error(`Import adresses : ${outcome.message}`);
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
  return count;
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
