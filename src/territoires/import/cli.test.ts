import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { describeEachDatabase, openTestDatabase } from '../../platform/db/testing.ts';
import type { Database } from '../../platform/db/connect.ts';
import { CliError } from '../../platform/cli/model.ts';
import type { ContratRow } from '../../platform/tenancy/store.ts';
import { loadDefaultContrat } from '../../defaults.ts';
import { geoFile } from '../../../test/geo-data.ts';
import { importCommand, type Output } from './cli.ts';
import { importGeoFolder } from './folder.ts';
import { IMPORT_KINDS } from './model.ts';
import { adresse } from '../schema.ts';
import { voieCle } from '../geo/adresse.ts';
import { createRun, findRun, listRuns } from './store.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = { id: null, label: 'CLI (essai)' };

function output(isTTY = false): Output & { text: string } {
  const o = {
    text: '',
    isTTY,
    write(t: string) {
      o.text += t;
    },
  };
  return o;
}

async function cliFailure(promise: Promise<unknown>): Promise<string> {
  const e = await promise.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CliError);
  return (e as CliError).message;
}

describeEachDatabase('pilotis import', (kind) => {
  let database: Database;
  let contrat: ContratRow;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    contrat = await loadDefaultContrat(database.db);
  });
  afterAll(() => database.close());

  it('imports a file, printing one line per phase in a log, and the counts at the end', async () => {
    const out = output(false);
    const text = await importCommand(database.db, CLI, 'arrondissements', geoFile('paris_arrondissements.geojson'), out);
    expect(text).toBe(
      'Import terminé (Arrondissements (GeoJSON), paris_arrondissements.geojson) : 0 territoire ajouté, 20 modifiés, 0 inchangé.',
    );
    const lines = out.text.trim().split('\n');
    expect(lines[0]).toMatch(/^Import arrondissements paris_arrondissements\.geojson — Lecture : \d+ %$/);
    expect(lines).toContain('Import arrondissements paris_arrondissements.geojson — Écriture : 100 %');
    expect(lines.some((l) => l.includes('Vérification'))).toBe(true);
    expect(out.text).not.toContain('\r');
  });

  it('updates one line in place on a terminal', async () => {
    const out = output(true);
    await importCommand(database.db, CLI, 'qpv', geoFile('qpv2015_paris.geojson'), out);
    expect(out.text.startsWith('\r\x1b[KImport qpv qpv2015_paris.geojson — ')).toBe(true);
    expect(out.text.endsWith('\n')).toBe(true);
    expect(out.text.split('\n')).toHaveLength(2);
  });

  it('refuses a bad file with the line and the column, and says nothing was changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pilotis-cli-'));
    const bad = join(dir, 'adresses.csv');
    writeFileSync(bad, 'id;numero;rep;nom_voie;code_postal;code_insee;lon;lat\na;1;;Rue Pajol;75018;75118;2.36;48.88\nb;2;;Rue Pajol;75018;75118;2.36;48,86x\n');
    const message = await cliFailure(importCommand(database.db, CLI, 'adresses', bad, output()));
    expect(message).toBe(
      "Import refusé (Base Adresse Nationale (CSV ou CSV.gz), adresses.csv) : Ligne 3, colonne lat : « 48,86x » n'est pas un nombre.\nAucune donnée n'a été modifiée.",
    );
  });

  it('names the kinds when the one typed is unknown, and a missing file', async () => {
    const message = await cliFailure(importCommand(database.db, CLI, 'ban', geoFile('qpv2015_paris.geojson'), output()));
    expect(message).toMatch(/^Type de fichier inconnu : « ban »\. Types possibles :\n {2}qpv /);
    for (const k of IMPORT_KINDS) expect(message).toContain(`  ${k} `);
    expect(await cliFailure(importCommand(database.db, CLI, 'qpv', '/nulle/part.geojson', output()))).toBe('Fichier introuvable : /nulle/part.geojson');
  });

  it('imports at start the known files of PILOTIS_GEO_DIR once, and closes runs a stopped process left open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pilotis-geo-'));
    for (const f of ['paris_arrondissements.geojson', 'qpv2015_paris.geojson', 'insee_qpv2015_demo_2022.csv']) copyFileSync(geoFile(f), join(dir, f));
    writeFileSync(join(dir, 'autre.csv'), 'sans rapport');
    const stale = await createRun(database.db, { id: crypto.randomUUID(), contratId: contrat.id, kind: 'iris', fichier: 'iris.geojson', sha256: '0'.repeat(64), by: CLI });
    const config = loadConfig({ NODE_ENV: 'test', PILOTIS_GEO_DIR: dir });

    const out = output();
    const first = await importGeoFolder(database, config, contrat, out);
    // Arrondissements and QPV were imported above with the same files: only the INSEE file is new.
    expect(first.map((o) => o.statut)).toEqual(['termine']);
    expect(out.text).toContain('Import terminé (Chiffres INSEE par quartier prioritaire (CSV), insee_qpv2015_demo_2022.csv) : 20 valeurs ajoutées');
    expect(await importGeoFolder(database, config, contrat, output())).toEqual([]);

    // One process per PGlite folder: a run left open is over. PostgreSQL may have another server importing.
    const after = (await findRun(database.db, contrat.id, stale.id))!;
    if (kind === 'pglite') expect(after).toMatchObject({ statut: 'echec', message: expect.stringMatching(/^Import interrompu/) });
    else expect(after.statut).toBe('en_cours');

    const missing = output();
    expect(await importGeoFolder(database, loadConfig({ NODE_ENV: 'test', PILOTIS_GEO_DIR: join(dir, 'absent') }), contrat, missing)).toEqual([]);
    expect(missing.text).toContain("le dossier " + join(dir, 'absent') + " est introuvable ; aucune donnée géographique n'est importée.");
    expect((await listRuns(database.db, contrat.id)).filter((r) => r.parLibelle.startsWith('Pilotis (démarrage'))).toHaveLength(1);
  });
});

describeEachDatabase('addresses at start when the street-name rules change', (kind) => {
  let database: Database;
  let contrat: ContratRow;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    contrat = await loadDefaultContrat(database.db);
  });
  afterAll(() => database.close());

  it('imports the address base again when voieCle() no longer gives the keys stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pilotis-geo-'));
    const lines = ['id;numero;rep;nom_voie;code_postal;code_insee;lon;lat', '75118_a_1;1;;Rue Pajol;75018;75118;2.3605;48.8851', '75113_b_6;6;;6S1 Avenue Joseph Bédier;75013;75113;2.3737;48.8203'];
    writeFileSync(join(dir, 'ban_adresses-75.csv.gz'), gzipSync(`${lines.join('\n')}\n`));
    const config = loadConfig({ NODE_ENV: 'test', PILOTIS_GEO_DIR: dir });
    expect((await importGeoFolder(database, config, contrat, output())).map((o) => o.counts.ajoutes)).toEqual([2]);
    expect(await importGeoFolder(database, config, contrat, output())).toEqual([]);

    // As if the keys had been stored by an older version of the rules.
    await database.db.update(adresse).set({ voieCle: 'bedier' }).where(eq(adresse.id, '75113_b_6'));
    const out = output();
    const again = await importGeoFolder(database, config, contrat, out);
    expect(again.map((o) => o.counts)).toEqual([{ ajoutes: 0, modifies: 1, inchanges: 1, ignores: 0 }]);
    expect(out.text).toContain('Les règles de normalisation des noms de voie ont changé (1 voie) : ban_adresses-75.csv.gz est importé à nouveau.');
    const [row] = await database.db.select().from(adresse).where(eq(adresse.id, '75113_b_6'));
    expect(row!.voieCle).toBe(voieCle('Avenue Joseph Bédier'));
  });
});

describe('pilotis import --help', () => {
  it('lists the kinds, one line each', () => {
    const help = spawnSync(process.execPath, ['bin/pilotis.mjs', 'import', '--help'], { cwd: root, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage : pilotis import [options] <type> <fichier>');
    for (const k of IMPORT_KINDS) expect(help.stdout).toMatch(new RegExp(`^ {2}${k} +\\S.+$`, 'm'));
  });
});
