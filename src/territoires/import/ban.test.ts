import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { describeEachDatabase, openTestDatabase } from '../../platform/db/testing.ts';
import type { Database } from '../../platform/db/connect.ts';
import type { ContratRow } from '../../platform/tenancy/store.ts';
import { loadDefaultContrat } from '../../defaults.ts';
import { geoFile } from '../../../test/geo-data.ts';
import { adresse } from '../schema.ts';
import { voieCle } from '../geo/adresse.ts';
import { runImport, type ImportRequest } from './run.ts';
import { findRun } from './store.ts';

// The whole Paris address base, on each database: 158 048 addresses in one transaction.

const BY = { id: null, label: 'essai@exemple.fr' };
const BAN = 'ban_adresses-75.csv.gz';
const tmp = mkdtempSync(join(tmpdir(), 'pilotis-ban-'));

describeEachDatabase('import of the national address base (BAN, Paris)', (kind) => {
  let database: Database;
  let contrat: ContratRow;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    contrat = await loadDefaultContrat(database.db);
  });
  afterAll(() => database.close());

  const run = (path: string, extra: Partial<ImportRequest> = {}) =>
    runImport({ db: database.db, contratId: contrat.id, kind: 'adresses', path, fichier: path.split('/').pop()!, by: BY, ...extra });
  const total = async () => (await database.db.select({ n: count() }).from(adresse))[0]!.n;

  it('imports the 158 048 addresses, with their street key for the geocoder', async () => {
    const started = Date.now();
    const out = await run(geoFile(BAN));
    console.info(`BAN Paris [${kind}] : premier import en ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(out).toMatchObject({ statut: 'termine', counts: { ajoutes: 158_048, modifies: 0, inchanges: 0 } });
    expect(out.message).toBe('158 048 adresses ajoutées, 0 modifiée, 0 inchangée.');
    expect(await total()).toBe(158_048);
    const [first] = await database.db.select().from(adresse).where(eq(adresse.id, '75101_cfq3tf_00001'));
    expect(first).toMatchObject({ numero: 1, rep: null, nomVoie: 'Avenue du Général Lemonnier', voieCle: voieCle('Avenue du Général Lemonnier'), codePostal: '75001', codeInsee: '75101', lon: 2.330113, lat: 48.861299, importId: out.id });
    const bedier = await database.db.select().from(adresse).where(eq(adresse.nomVoie, '6S1 Avenue Joseph Bédier'));
    expect(bedier.length).toBeGreaterThan(0);
    expect(bedier[0]!.voieCle).toBe(voieCle('Avenue Joseph Bédier'));
  });

  it('imports the same file again without changing anything', async () => {
    const started = Date.now();
    const out = await run(geoFile(BAN));
    console.info(`BAN Paris [${kind}] : second import (aucun changement) en ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(out).toMatchObject({ statut: 'termine', counts: { ajoutes: 0, modifies: 0, inchanges: 158_048 } });
    // Unchanged rows keep the import that brought them.
    const [first] = await database.db.select().from(adresse).where(eq(adresse.id, '75101_cfq3tf_00001'));
    expect(first!.importId).not.toBe(out.id);
  });

  it('rolls back every batch already written when the file breaks while being written', async () => {
    const lines = gunzipSync(readFileSync(geoFile(BAN))).toString('utf8').split('\n').slice(0, 2_601);
    // One address corrected (written in the first batch), then a broken line after two batches of 1 000.
    const changed = [...lines];
    changed[1] = changed[1]!.replace('Avenue du Général Lemonnier', 'Avenue du Général Lemonnier (corrigée)');
    const good = join(tmp, 'adresses-75.csv');
    writeFileSync(good, `${changed.join('\n')}\n`);
    const broken = [...changed];
    broken[2_500] = broken[2_500]!.replace(/;(48\.\d+);/, ';$1x;');
    let swapped = false;
    const out = await run(good, {
      // The file passes the check, then changes under the writer: the second pass meets the broken line.
      onProgress: (job) => {
        if (job.phase === 'ecriture' && !swapped) {
          swapped = true;
          writeFileSync(good, `${broken.join('\n')}\n`);
        }
      },
    });
    expect(out.statut).toBe('echec');
    expect(out.message).toMatch(/^Ligne 2 501, colonne lat : « 48\.\d+x » n'est pas un nombre\.$/);
    expect((await findRun(database.db, contrat.id, out.id))!).toMatchObject({ statut: 'echec', erreurLigne: 2_501, erreurColonne: 'lat' });
    const [first] = await database.db.select().from(adresse).where(eq(adresse.id, '75101_cfq3tf_00001'));
    expect(first!.nomVoie).toBe('Avenue du Général Lemonnier');
    expect(await total()).toBe(158_048);
  });
});
