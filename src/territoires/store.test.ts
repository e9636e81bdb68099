import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { describeEachDatabase, openTestDatabase } from '../platform/db/testing.ts';
import type { Database } from '../platform/db/connect.ts';
import { auditLog } from '../platform/audit/schema.ts';
import { loadDefaultContrat, SYSTEM } from '../defaults.ts';
import { geoFile } from '../../test/geo-data.ts';
import { seedLines } from '../../test/seeds.ts';
import { territoire, territoireLien, territoireValeur } from './schema.ts';
import {
  ajouterValeurs,
  enfantsOf,
  listTerritoires,
  parentsOf,
  upsertTerritoires,
  valeursOf,
  type TerritoireRow,
  type ValeurRow,
} from './store.ts';
import { comparerSources, ecartContrat, parseNombreFr, totalPopulation } from './model.ts';

const lignes = seedLines('002_c4a66201d2f76daa.txt');
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
const ligneDe = (source: string) => Number(/^seed 002 l\.(\d+)$/.exec(source)?.[1]);

describeEachDatabase('the default contract’s priority geography', (kind) => {
  let database: Database;
  let contratId: string;
  let qpvs: TerritoireRow[];
  let byCode: Map<string, TerritoireRow>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    contratId = (await loadDefaultContrat(database.db)).id;
    qpvs = await listTerritoires(database.db, contratId, { type: 'qpv', geographie: '2015' });
    byCode = new Map((await listTerritoires(database.db, contratId)).map((t) => [`${t.type}:${t.code}`, t]));
  });
  afterAll(() => database.close());

  const totalTable = async () => {
    const valeurs = await valeursOf(database.db, qpvs.map((q) => q.id));
    const codeOf = new Map(qpvs.map((q) => [q.id, q.code]));
    return totalPopulation(valeurs.map((v) => ({ ...v, territoire: codeOf.get(v.territoireId)! })), { millesime: 'RFL2011' });
  };
  const imprime = async () => {
    const [v] = (await valeursOf(database.db, [byCode.get('commune:75056')!.id])).filter((x) => x.indicateur === 'population_qpv');
    return v!;
  };

  it('holds the 20 QPV of the 2015 geography, under their official codes, with the contract’s and the official spelling', () => {
    expect(qpvs.map((q) => q.code)).toEqual(Array.from({ length: 20 }, (_, i) => `QP0750${String(i + 1).padStart(2, '0')}`));
    const goutte = qpvs.find((q) => q.code === 'QP075012')!;
    expect(goutte).toMatchObject({ nom: "Goutte d'Or", nomOfficiel: "Goutte D'Or", geographie: '2015', source: 'seed 002 l.905', contour: null });
  });

  it('gives each QPV its population and median income exactly as the table prints them, read against the seed line by line', async () => {
    const valeurs = await valeursOf(database.db, qpvs.map((q) => q.id));
    expect(valeurs).toHaveLength(40);
    for (const q of qpvs) {
      const n = ligneDe(q.source!);
      const ligne = norm(lignes[n]!);
      const pop = valeurs.find((v) => v.territoireId === q.id && v.indicateur === 'population')!;
      const rev = valeurs.find((v) => v.territoireId === q.id && v.indicateur === 'revenu_median')!;
      for (const v of [pop, rev]) {
        expect(v).toMatchObject({ millesime: 'RFL2011', source: q.source, valeur: parseNombreFr(v.texte) });
      }
      expect(ligne.startsWith(`${q.nom} Paris `), `${q.code} l.${n}`).toBe(true);
      expect(ligne.endsWith(` ${pop.texte} ${rev.texte}`), `${q.code} l.${n}`).toBe(true);
    }
  });

  it('computes the total population of the table and reports whether it matches the printed 150 460', async () => {
    const total = await totalTable();
    const printed = await imprime();
    expect(printed).toMatchObject({ texte: '150 460', valeur: 150460, source: 'seed 002 l.802-803', millesime: 'RFL2011' });
    expect(total).toEqual({ total: 150460, territoires: 20, manquants: [] });
    const ecart = ecartContrat(total.total, printed.valeur!);
    expect(ecart.concorde).toBe(true);
  });

  it('reports the disagreement when a figure of the table no longer adds up to the printed total, and a restart restores the transcription', async () => {
    const goutte = byCode.get('qpv:QP075012')!;
    const r = await ajouterValeurs(database.db, SYSTEM, contratId, [
      { territoireId: goutte.id, indicateur: 'population', valeur: 12000, texte: '12 000', millesime: 'RFL2011', source: 'seed 002 l.905' },
    ]);
    expect(r).toEqual({ ajoutes: 0, modifies: 1, inchanges: 0 });
    const ecart = ecartContrat((await totalTable()).total, (await imprime()).valeur!);
    expect(ecart).toMatchObject({ concorde: false, calcule: 149490, imprime: 150460, ecart: -970 });
    expect(ecart.explication).toMatch(/diffère du chiffre imprimé/);

    await loadDefaultContrat(database.db);
    expect((await totalTable()).total).toBe(150460);
  });

  it('keeps the other contract-level figures with their lines', async () => {
    const paris = byCode.get('commune:75056')!;
    expect(paris).toMatchObject({ nom: 'Paris', geographie: 'cog' });
    const v = await valeursOf(database.db, [paris.id]);
    const pick = (i: string) => v.find((x) => x.indicateur === i);
    expect(pick('nombre_qpv')).toMatchObject({ texte: '20', valeur: 20, source: 'seed 002 l.797' });
    expect(pick('seuil_bas_revenus')).toMatchObject({ texte: '12 800 €', valeur: 12800, source: 'seed 002 l.777' });
  });

  it('links each QPV to the arrondissements of its "commune principale", with the row as source', async () => {
    const codes = async (code: string) =>
      (await parentsOf(database.db, byCode.get(`qpv:${code}`)!.id)).map((p) => [p.territoire.code, p.source]);
    expect(await codes('QP075013')).toEqual([
      ['75118', 'seed 002 l.907'],
      ['75119', 'seed 002 l.907'],
    ]);
    expect(await codes('QP075020')).toEqual([
      ['75110', 'seed 002 l.923'],
      ['75111', 'seed 002 l.923'],
      ['75120', 'seed 002 l.923'],
    ]);
    const parents = await parentsOf(database.db, qpvs.map((q) => q.id));
    expect(parents).toHaveLength(24);
    expect([...new Set(parents.map((p) => p.territoire.code))].sort()).toEqual(['75110', '75111', '75113', '75114', '75117', '75118', '75119', '75120']);
    const du19 = await enfantsOf(database.db, byCode.get('arrondissement:75119')!.id);
    expect(du19.filter((e) => e.territoire.type === 'qpv').map((e) => e.territoire.code)).toEqual([
      'QP075002',
      'QP075013',
      'QP075014',
      'QP075015',
      'QP075016',
      'QP075017',
      'QP075018',
    ]);
    expect((await parentsOf(database.db, byCode.get('arrondissement:75118')!.id)).map((p) => p.territoire.code)).toEqual(['75056']);
  });

  it('holds the quartiers de veille active the contract names, without contour, with their lines and arrondissements', async () => {
    const qva = await listTerritoires(database.db, contratId, { type: 'qva' });
    expect(qva.map((q) => [q.code, q.nom, q.source, q.contour])).toEqual([
      ['QVA-75-01', 'Porte de Vincennes', 'seed 002 l.847-848', null],
      ['QVA-75-02', 'Olympiades', 'seed 002 l.848', null],
      ['QVA-75-03', "Cité de l'Eure", 'seed 002 l.848-849', null],
      ['QVA-75-04', 'Périchaux', 'seed 002 l.849', null],
      ['QVA-75-05', 'Joinville-Barbanègre', 'seed 002 l.850', null],
      ['QVA-75-06', 'Ourcq-Léon Giraud', 'seed 002 l.850', null],
      ['QVA-75-07', '140 Ménilmontant', 'seed 002 l.851', null],
    ]);
    const parents = await parentsOf(database.db, qva.map((q) => q.id));
    expect(parents.map((p) => [qva.find((q) => q.id === p.de)!.code, p.territoire.code]).sort()).toEqual([
      ['QVA-75-01', '75112'],
      ['QVA-75-02', '75113'],
      ['QVA-75-03', '75114'],
      ['QVA-75-04', '75115'],
      ['QVA-75-05', '75119'],
      ['QVA-75-06', '75119'],
      ['QVA-75-07', '75120'],
    ]);
  });

  it('can be loaded again without changing anything', async () => {
    const compte = async () => ({
      territoires: (await database.db.select({ n: count() }).from(territoire))[0]!.n,
      valeurs: (await database.db.select({ n: count() }).from(territoireValeur))[0]!.n,
      liens: (await database.db.select({ n: count() }).from(territoireLien))[0]!.n,
      journal: (await database.db.select({ n: count() }).from(auditLog))[0]!.n,
    });
    const avant = await compte();
    expect(avant).toMatchObject({ territoires: 20 + 20 + 7 + 1, valeurs: 43, liens: 20 + 24 + 7 });
    await loadDefaultContrat(database.db);
    await loadDefaultContrat(database.db);
    expect(await compte()).toEqual(avant);
  });

  it('keeps a second source beside the contract’s figure and shows where they disagree', async () => {
    // The INSEE 2013 population of Goutte d'Or, from the official national list.
    const csv = readFileSync(geoFile('qpv2015_france_population_2013.csv'), 'utf8').split('\n');
    const n = csv.findIndex((l) => l.startsWith('QP075012;'));
    const texte = csv[n]!.split(';').at(-1)!.trim();
    const source = `INSEE population 2013 (qpv2015_france_population_2013.csv l.${n + 1})`;
    const goutte = byCode.get('qpv:QP075012')!;
    const ajout = { territoireId: goutte.id, indicateur: 'population', valeur: parseNombreFr(texte), texte, millesime: '2013', source };
    expect(await ajouterValeurs(database.db, SYSTEM, contratId, [ajout])).toEqual({ ajoutes: 1, modifies: 0, inchanges: 0 });
    expect(await ajouterValeurs(database.db, SYSTEM, contratId, [ajout])).toEqual({ ajoutes: 0, modifies: 0, inchanges: 1 });

    const pops: ValeurRow[] = (await valeursOf(database.db, [goutte.id])).filter((v) => v.indicateur === 'population');
    const c = comparerSources(pops);
    expect(c.valeurs.map((v) => [v.millesime, v.texte])).toEqual([
      ['2013', '13232'],
      ['RFL2011', '12 970'],
    ]);
    expect(c.desaccord).toBe(true);
    expect(c.ecarts[0]!.ecartRelatif).toBeCloseTo((13232 - 12970) / 13232, 10);
  });

  it('updates a territory field by field, audited, and never wipes an imported contour on the next start', async () => {
    const journal = async () => (await database.db.select({ n: count() }).from(auditLog))[0]!.n;
    const contour = { type: 'Polygon', coordinates: [[[2.35, 48.88], [2.36, 48.88], [2.36, 48.89], [2.35, 48.88]]] };
    const avant = await journal();
    const r = await upsertTerritoires(database.db, SYSTEM, contratId, [
      { type: 'qpv', geographie: '2015', code: 'QP075012', nom: "Goutte d'Or", contour, bbox: [2.35, 48.88, 2.36, 48.89], contourSource: 'essai' },
    ]);
    expect(r).toMatchObject({ ajoutes: 0, modifies: 1, inchanges: 0 });
    expect(await journal()).toBe(avant + 1);
    await loadDefaultContrat(database.db);
    const [goutte] = (await listTerritoires(database.db, contratId, { type: 'qpv' })).filter((t) => t.code === 'QP075012');
    expect(goutte).toMatchObject({ contour, contourSource: 'essai', nomOfficiel: "Goutte D'Or" });
  });

  it('lets a 2024 QPV live beside the 2015 one under its own code', async () => {
    const r = await upsertTerritoires(database.db, SYSTEM, contratId, [
      { type: 'qpv', geographie: '2024', code: 'QN075012', nom: 'Goutte d’Or (essai 2024)', source: 'essai' },
    ]);
    expect(r.ajoutes).toBe(1);
    expect((await listTerritoires(database.db, contratId, { type: 'qpv', geographie: '2024' })).map((t) => t.code)).toEqual(['QN075012']);
    expect(await listTerritoires(database.db, contratId, { type: 'qpv', geographie: '2015' })).toHaveLength(20);
  });
});
