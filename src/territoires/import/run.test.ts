import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { and, asc, eq, sql } from 'drizzle-orm';
import { describeEachDatabase, openTestDatabase } from '../../platform/db/testing.ts';
import type { Database } from '../../platform/db/connect.ts';
import type { AuditActor } from '../../platform/audit/model.ts';
import { auditLog } from '../../platform/audit/schema.ts';
import type { ContratRow } from '../../platform/tenancy/store.ts';
import { loadDefaultContrat } from '../../defaults.ts';
import { geoFile } from '../../../test/geo-data.ts';
import { arrondissementsParisImprimes } from '../model.ts';
import { territoire, territoireLien, territoireValeur } from '../schema.ts';
import type { ImportKind } from './model.ts';
import { LINK_SOURCE } from './liens.ts';
import { runImport } from './run.ts';
import { findRun } from './store.ts';

const BY: AuditActor = { id: null, label: 'essai@exemple.fr' };
const tmp = mkdtempSync(join(tmpdir(), 'pilotis-essai-import-'));

/** Everything an import may change, as one comparable text. */
async function snapshot(database: Database): Promise<string> {
  const { db } = database;
  const t = await db.select().from(territoire).orderBy(asc(territoire.id));
  const l = await db.select().from(territoireLien).orderBy(asc(territoireLien.parentId), asc(territoireLien.enfantId));
  const v = await db.select().from(territoireValeur).orderBy(asc(territoireValeur.id));
  return JSON.stringify({ t, l, v });
}

describeEachDatabase('imports of the real open-data files', (kind) => {
  let database: Database;
  let contrat: ContratRow;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    contrat = await loadDefaultContrat(database.db);
  });
  afterAll(() => database.close());

  const run = (k: ImportKind, path: string, fichier = path.split('/').pop()!) =>
    runImport({ db: database.db, contratId: contrat.id, kind: k, path, fichier, by: BY });
  const byCode = async (type: string, code: string) =>
    (await database.db.select().from(territoire).where(and(eq(territoire.contratId, contrat.id), eq(territoire.type, type), eq(territoire.code, code))))[0]!;
  const parentsOf = async (type: string) =>
    (await database.db.execute(sql`
      select e.code as enfant, p.code as parent, l.source from territoire_lien l
      join territoire e on e.id = l.enfant_id join territoire p on p.id = l.parent_id
      where e.contrat_id = ${contrat.id} and e.type = ${type} and p.type = 'arrondissement' order by 1, 2`)) as unknown as {
      rows: { enfant: string; parent: string; source: string }[];
    };

  it('arrondissements: the contours land on the 20 arrondissements of the contract, their names untouched', async () => {
    const out = await run('arrondissements', geoFile('paris_arrondissements.geojson'));
    expect(out).toMatchObject({ statut: 'termine', counts: { ajoutes: 0, modifies: 20, inchanges: 0, ignores: 0 } });
    const a18 = await byCode('arrondissement', '75118');
    expect(a18.nom).toBe('18e arrondissement');
    expect(a18.nomOfficiel).toBe('Buttes-Montmartre');
    expect(a18.contourSource).toBe('paris_arrondissements.geojson');
    expect((a18.contour as { type: string }).type).toBe('Polygon');
    const [minLon, minLat, maxLon, maxLat] = a18.bbox!;
    expect(minLon).toBeGreaterThan(2.32);
    expect(maxLon).toBeLessThan(2.38);
    expect(minLat).toBeGreaterThan(48.88);
    expect(maxLat).toBeLessThan(48.91);
    const row = (await findRun(database.db, contrat.id, out.id))!;
    expect(row).toMatchObject({ statut: 'termine', kind: 'arrondissements', fichier: 'paris_arrondissements.geojson', ajoutes: 0, modifies: 20, inchanges: 0, parLibelle: BY.label });
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(row.fin).not.toBeNull();
  });

  it('qpv: the 20 contours land on the 20 QPV of the contract, linked to the arrondissements the official file names', async () => {
    const out = await run('qpv', geoFile('qpv2015_paris.geojson'));
    expect(out).toMatchObject({ statut: 'termine', counts: { ajoutes: 0, modifies: 20, inchanges: 0 } });
    const qpv = await database.db.select().from(territoire).where(and(eq(territoire.contratId, contrat.id), eq(territoire.type, 'qpv')));
    expect(qpv).toHaveLength(20);
    expect(qpv.every((q) => q.geographie === '2015' && q.contour && q.bbox && q.contourSource === 'qpv2015_paris.geojson')).toBe(true);
    // The contract's spelling stays the name; the official one is kept beside it.
    const q20 = await byCode('qpv', 'QP075020');
    expect(q20.nomOfficiel).toBe('Grand Belleville 10ème - 11ème - 20ème');
    expect(q20.nom).not.toBe(q20.nomOfficiel);

    const features = (JSON.parse(readFileSync(geoFile('qpv2015_paris.geojson'), 'utf8')) as { features: { properties: Record<string, string> }[] }).features;
    const named = features.flatMap((f) => arrondissementsParisImprimes(f.properties.COMMUNE_QP!).map((a) => `${f.properties.CODE_QP}>${a}`));
    const { rows } = await parentsOf('qpv');
    const linked = [...new Set(rows.map((r) => `${r.enfant}>${r.parent}`))].sort();
    // The official file also names the 18th for QP075015, but no part of its contour lies more than
    // 3 m inside the 18th (the two layers' slivers): neither the contours nor the contract's table say so.
    expect(linked).toEqual(named.filter((l) => l !== 'QP075015>75118').sort());
    // The contours give the same 24 pairs as the contract's table: none is duplicated.
    expect(out.message).toContain('Liens QPV–arrondissement calculés à partir des contours : 24 (0 nouveau, 0 supprimé).');
    expect(rows.every((r) => r.source !== LINK_SOURCE)).toBe(true);
  });

  it('iris: 992 IRIS, each linked to the arrondissement its code names', async () => {
    const out = await run('iris', geoFile('iris_paris.geojson'));
    expect(out).toMatchObject({ statut: 'termine', counts: { ajoutes: 992, modifies: 0, inchanges: 0, ignores: 0 } });
    const { rows } = await parentsOf('iris');
    expect(rows).toHaveLength(992);
    expect(rows.every((r) => r.enfant.startsWith(r.parent) && r.source === LINK_SOURCE)).toBe(true);
    expect((await byCode('iris', '751187101')).nom).toBe("Goutte d'Or 1");
  });

  it('insee-qpv: DEMO, REVN and population 2013 figures of the contract’s QPV, kept as printed with their line', async () => {
    const demo = await run('insee-qpv', geoFile('insee_qpv2015_demo_2022.csv'));
    expect(demo).toMatchObject({ statut: 'termine', counts: { ajoutes: 20, modifies: 0, inchanges: 0, ignores: 1380 } });
    const revn = await run('insee-qpv', geoFile('insee_qpv2015_revn_2022.csv'));
    expect(revn).toMatchObject({ statut: 'termine', counts: { ajoutes: 59, modifies: 0, inchanges: 0, ignores: 1332 } });
    // QP075005's poverty rate is not published (statistical secrecy): 20 declared and 20 disposable incomes, 19 rates.
    expect(revn.message).toBe('59 valeurs ajoutées, 0 modifiée, 0 inchangée. 1 332 lignes ignorées (quartiers absents du contrat). Fichier reconnu : INSEE REVN_2022 (millésime 2022).');
    const pop = await run('insee-qpv', geoFile('qpv2015_france_population_2013.csv'));
    expect(pop).toMatchObject({ statut: 'termine', counts: { ajoutes: 20, ignores: 1494 } });

    const goutte = await byCode('qpv', 'QP075012');
    const valeurs = await database.db.select().from(territoireValeur).where(eq(territoireValeur.territoireId, goutte.id));
    const insee = valeurs.filter((v) => v.source.startsWith('INSEE')).map((v) => [v.indicateur, v.valeur, v.texte, v.millesime, v.source]);
    expect(insee.sort()).toEqual(
      [
        ['population', 12251, '12\u202f251', '2022', 'INSEE DEMO_2022 (insee_qpv2015_demo_2022.csv l.900)'],
        ['population', 13232, '13232', '2013', 'INSEE population municipale 2013 (qpv2015_france_population_2013.csv l.900)'],
        // DECUC_Q2, the declared income the contract's RFL2011 figure measures; DISP_Q2 beside it, under its own name.
        ['revenu_median', 14560, '14\u202f560', '2022', 'INSEE REVN_2022 (insee_qpv2015_revn_2022.csv l.900)'],
        ['revenu_disponible_median', 16230, '16\u202f230', '2022', 'INSEE REVN_2022 (insee_qpv2015_revn_2022.csv l.900)'],
        ['taux_pauvrete', 34.8, '34,8', '2022', 'INSEE REVN_2022 (insee_qpv2015_revn_2022.csv l.900)'],
      ].sort(),
    );
    // The contract's own figures stay beside the INSEE ones.
    expect(valeurs.some((v) => v.source.startsWith('seed 002') && v.indicateur === 'population')).toBe(true);
  });

  it('importing the same files again changes nothing', async () => {
    const before = await snapshot(database);
    const again: [ImportKind, string, number][] = [
      ['arrondissements', 'paris_arrondissements.geojson', 20],
      ['qpv', 'qpv2015_paris.geojson', 20],
      ['iris', 'iris_paris.geojson', 992],
      ['insee-qpv', 'insee_qpv2015_demo_2022.csv', 20],
      ['insee-qpv', 'insee_qpv2015_revn_2022.csv', 59],
      ['insee-qpv', 'qpv2015_france_population_2013.csv', 20],
    ];
    for (const [k, file, n] of again) {
      const out = await run(k, geoFile(file));
      expect(out.counts, file).toMatchObject({ ajoutes: 0, modifies: 0, inchanges: n });
    }
    expect(await snapshot(database)).toBe(before);
  });

  it('a bad file fails with its line and column, and leaves the database as it was', async () => {
    const before = await snapshot(database);
    const geo = JSON.parse(readFileSync(geoFile('qpv2015_paris.geojson'), 'utf8')) as { features: { geometry: { coordinates: number[][][] } }[] };
    geo.features[4]!.geometry.coordinates[0]![3] = [2.37, 148.8];
    const badGeo = join(tmp, 'qpv-casse.geojson');
    writeFileSync(badGeo, JSON.stringify(geo));
    const g = await run('qpv', badGeo);
    expect(g).toMatchObject({ statut: 'echec', ligne: 1, colonne: 'geometry' });
    expect(g.message).toMatch(/^Ligne 1, entité n° 5 \(QP075005\), propriété geometry : point \[2\.37, 148\.8\] hors des limites WGS84/);

    const badCsv = join(tmp, 'insee_qpv2015_revn_2022.csv');
    const lines = readFileSync(geoFile('insee_qpv2015_revn_2022.csv'), 'utf8').split('\n');
    expect(lines[899]).toMatch(/^QP075012;/);
    lines[899] = lines[899]!.replace(';34,8;', ';34,8x;');
    writeFileSync(badCsv, lines.join('\n'));
    const c = await run('insee-qpv', badCsv);
    expect(c).toMatchObject({ statut: 'echec', ligne: 900, colonne: 'TP60', message: "Ligne 900, colonne TP60 : « 34,8x » n'est pas un nombre." });
    const row = (await findRun(database.db, contrat.id, c.id))!;
    expect(row).toMatchObject({ statut: 'echec', erreurLigne: 900, erreurColonne: 'TP60', ajoutes: 0, modifies: 0 });
    expect(await snapshot(database)).toBe(before);
  });

  it('writes one audit entry per run with its counts, and one per territory created or changed', async () => {
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.actorLabel, BY.label));
    const runs = entries.filter((e) => e.objectType === 'import_geo');
    expect(runs).toHaveLength(14);
    expect(runs.filter((e) => (e.after as { statut: string }).statut === 'echec')).toHaveLength(2);
    const qpvRun = runs.find((e) => (e.after as { fichier: string; ajoutes: number }).fichier === 'qpv2015_paris.geojson');
    expect(qpvRun!.after).toMatchObject({ kind: 'qpv', statut: 'termine', ajoutes: 0, modifies: 20, inchanges: 0 });
    const territoires = entries.filter((e) => e.objectType === 'territoire');
    // 20 arrondissements and 20 QPV changed, 992 IRIS created: the second round changed nothing.
    expect(territoires.filter((e) => e.action === 'modification')).toHaveLength(40);
    expect(territoires.filter((e) => e.action === 'creation')).toHaveLength(992);
    const change = territoires.find((e) => e.objectLabel?.includes('QP075012'))!;
    expect(change.after).toMatchObject({ contourSource: 'qpv2015_paris.geojson', contour: expect.stringMatching(/^contour GeoJSON \(Polygon, \d+ points\)$/) });
  });
});
