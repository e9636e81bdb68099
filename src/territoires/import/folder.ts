import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config.ts';
import type { Database } from '../../platform/db/connect.ts';
import type { AuditActor } from '../../platform/audit/model.ts';
import type { ContratRow } from '../../platform/tenancy/store.ts';
import { outcomeText, progressPrinter, type Output } from './cli.ts';
import { entier, type ImportKind } from './model.ts';
import { runImport, sha256File, type ImportOutcome } from './run.ts';
import { voieCle } from '../geo/adresse.ts';
import { closeInterruptedRuns, importedBefore, storedStreetKeys } from './store.ts';

// At start, with PILOTIS_GEO_DIR set: the official files found there are imported once each (a file
// already imported, same digest, is skipped), in an order where each layer finds what it links to.

export const KNOWN_FILES: readonly { fichier: string; kind: ImportKind }[] = [
  { fichier: 'paris_arrondissements.geojson', kind: 'arrondissements' },
  { fichier: 'qpv2015_paris.geojson', kind: 'qpv' },
  { fichier: 'iris_paris.geojson', kind: 'iris' },
  { fichier: 'insee_qpv2015_demo_2022.csv', kind: 'insee-qpv' },
  { fichier: 'insee_qpv2015_revn_2022.csv', kind: 'insee-qpv' },
  { fichier: 'qpv2015_france_population_2013.csv', kind: 'insee-qpv' },
  { fichier: 'ban_adresses-75.csv.gz', kind: 'adresses' },
];

export const STARTUP_ACTOR: AuditActor = { id: null, label: 'Pilotis (démarrage, PILOTIS_GEO_DIR)' };

/**
 * Closes the runs a stopped process left "en cours" (PGlite: one process per folder, so all of them;
 * PostgreSQL: another server may be importing right now, so only those older than a day), then
 * imports the known files of the configured folder that were not imported yet.
 */
export async function importGeoFolder(database: Database, config: Config, contrat: ContratRow, out: Output = process.stdout): Promise<ImportOutcome[]> {
  const cutoff = database.kind === 'pglite' ? new Date() : new Date(Date.now() - 24 * 3600 * 1000);
  await closeInterruptedRuns(database.db, STARTUP_ACTOR, cutoff);
  const dir = config.geo.dataDir;
  if (!dir) return [];
  if (!existsSync(dir)) {
    out.write(`PILOTIS_GEO_DIR : le dossier ${dir} est introuvable ; aucune donnée géographique n'est importée.\n`);
    return [];
  }
  const outcomes: ImportOutcome[] = [];
  for (const { fichier, kind } of KNOWN_FILES) {
    const path = join(dir, fichier);
    if (!existsSync(path)) continue;
    const sha256 = await sha256File(path);
    if (await importedBefore(database.db, contrat.id, kind, sha256)) {
      // The geocoder files streets under voieCle(): when its rules change, the keys stored are recomputed.
      const outdated = kind === 'adresses' ? (await storedStreetKeys(database.db)).filter((s) => voieCle(s.nomVoie) !== s.voieCle).length : 0;
      if (!outdated) continue;
      out.write(`Les règles de normalisation des noms de voie ont changé (${entier(outdated)} voie${outdated > 1 ? 's' : ''}) : ${fichier} est importé à nouveau.\n`);
    }
    const printer = progressPrinter(out, `Import ${kind} ${fichier}`);
    const outcome = await runImport({ db: database.db, contratId: contrat.id, kind, path, fichier, sha256, by: STARTUP_ACTOR, onProgress: printer.onProgress });
    printer.end();
    out.write(`${outcomeText(kind, fichier, outcome)}\n`);
    outcomes.push(outcome);
  }
  return outcomes;
}
