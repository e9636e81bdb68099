import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { geoFile } from '../../../test/geo-data.ts';
import { arrondissementsParisImprimes } from '../model.ts';
import { parseLayer } from './geojson.ts';
import type { AreaGeometry } from '../geo/types.ts';
import type { ParsedTerritoire } from './geojson.ts';
import type { InseeFile } from './insee.ts';
import { computeLinks, IRIS_RULE, QPV_RULE, samplePoints } from './liens.ts';
import { departementOfCommune, departementOfQpv, planTerritoires, planValeurs, sameJson, type ExistingTerritoire } from './plan.ts';

const rect = (x0: number, y0: number, x1: number, y1: number): AreaGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});

const parsed = (code: string, contour = rect(0, 0, 1, 1), nomOfficiel = `Quartier ${code}`): ParsedTerritoire => ({
  type: 'qpv',
  geographie: '2015',
  code,
  nom: nomOfficiel,
  nomOfficiel,
  commune: null,
  contour,
  bbox: [0, 0, 1, 1],
  entite: 1,
  ligne: 1,
});

describe('import plan', () => {
  it('finds the département of QPV and commune codes', () => {
    expect(['QP075012', 'QP02A001', 'QP971001', 'QN07501M'].map(departementOfQpv)).toEqual(['75', '2A', '971', '75']);
    expect(['75118', '2A004', '97411'].map(departementOfCommune)).toEqual(['75', '2A', '974']);
  });

  it('compares JSON whatever the key order', () => {
    expect(sameJson({ type: 'Polygon', coordinates: [[[1, 2]]] }, { coordinates: [[[1, 2]]], type: 'Polygon' })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [1, 2.0000001] })).toBe(false);
  });

  it('updates a territory of the contract, keeps its name, adds those of its départements, ignores the others', () => {
    const existing: ExistingTerritoire[] = [
      { id: 't12', type: 'qpv', geographie: '2015', code: 'QP075012', nom: "Goutte d'Or", nomOfficiel: null, contour: null, bbox: null, contourSource: null },
    ];
    const plan = planTerritoires([parsed('QP075012', rect(0, 0, 1, 1), "Goutte D'Or"), parsed('QP075013'), parsed('QP093001')], existing, 'qpv.geojson', new Set(['75']));
    expect(plan.updates).toEqual([
      { before: existing[0], patch: { nomOfficiel: "Goutte D'Or", contour: rect(0, 0, 1, 1), bbox: [0, 0, 1, 1], contourSource: 'qpv.geojson' } },
    ]);
    expect(plan.inserts.map((i) => [i.code, i.nom, i.source])).toEqual([['QP075013', 'Quartier QP075013', 'qpv.geojson']]);
    expect([plan.inchanges, plan.ignores]).toEqual([0, 1]);
  });

  it('changes nothing when the database already holds the file', () => {
    const p = parsed('QP075012');
    const existing: ExistingTerritoire[] = [
      // As jsonb gives it back: keys in another order.
      { id: 't', type: 'qpv', geographie: '2015', code: 'QP075012', nom: 'Autre nom', nomOfficiel: p.nomOfficiel, contour: { coordinates: p.contour.coordinates, type: 'Polygon' }, bbox: [0, 0, 1, 1], contourSource: 'qpv.geojson' },
    ];
    const plan = planTerritoires([p], existing, 'qpv.geojson', new Set());
    expect([plan.inserts.length, plan.updates.length, plan.inchanges]).toEqual([0, 0, 1]);
  });

  it('plans figures: new, unchanged, corrected, and rows of QPV the contract lacks', () => {
    const file: InseeFile = {
      kind: 'REVN',
      label: 'REVN_2022',
      millesime: '2022',
      lignes: [
        { ligne: 900, code: 'QP075012', geographie: '2015', valeurs: [{ indicateur: 'taux_pauvrete', valeur: 34.8, texte: '34,8' }, { indicateur: 'revenu_median', valeur: 14560, texte: '14 560' }] },
        { ligne: 901, code: 'QP075013', geographie: '2015', valeurs: [{ indicateur: 'taux_pauvrete', valeur: 41, texte: '41,0' }] },
        { ligne: 2, code: 'QP001001', geographie: '2015', valeurs: [{ indicateur: 'taux_pauvrete', valeur: 41.4, texte: '41,4' }] },
      ],
    };
    const ids = new Map([
      ['2015|QP075012', 't12'],
      ['2015|QP075013', 't13'],
    ]);
    const existing = [
      { id: 'v1', territoireId: 't12', indicateur: 'taux_pauvrete', millesime: '2022', source: 'INSEE REVN_2022 (revn.csv l.900)', valeur: 34.8, texte: '34,8' },
      // The same file kind, renamed and with a corrected figure: updated, not duplicated.
      { id: 'v2', territoireId: 't13', indicateur: 'taux_pauvrete', millesime: '2022', source: 'INSEE REVN_2022 (ancien.csv l.12)', valeur: 40, texte: '40,0' },
      // Another source is another figure, left alone.
      { id: 'v3', territoireId: 't12', indicateur: 'revenu_median', millesime: 'RFL2011', source: 'seed 002 l.895', valeur: 10800, texte: '10 800' },
    ];
    const plan = planValeurs(file, 'revn.csv', ids, existing);
    expect(plan.inserts).toEqual([{ territoireId: 't12', indicateur: 'revenu_median', valeur: 14560, texte: '14 560', millesime: '2022', source: 'INSEE REVN_2022 (revn.csv l.900)' }]);
    expect(plan.updates).toEqual([{ id: 'v2', set: { valeur: 41, texte: '41,0', source: 'INSEE REVN_2022 (revn.csv l.901)' } }]);
    expect([plan.inchanges, plan.ignores]).toEqual([1, 1]);
  });

  it('re-importing REVN corrects a median income an earlier import took from DISP_Q2, and adds the disposable income beside it', () => {
    const file: InseeFile = {
      kind: 'REVN',
      label: 'REVN_2022',
      millesime: '2022',
      lignes: [
        {
          ligne: 900,
          code: 'QP075012',
          geographie: '2015',
          valeurs: [
            { indicateur: 'revenu_median', valeur: 14560, texte: '14 560' },
            { indicateur: 'revenu_disponible_median', valeur: 16230, texte: '16 230' },
          ],
        },
      ],
    };
    // What the earlier importer stored: the disposable income under revenu_median.
    const existing = [{ id: 'v1', territoireId: 't12', indicateur: 'revenu_median', millesime: '2022', source: 'INSEE REVN_2022 (revn.csv l.900)', valeur: 16230, texte: '16 230' }];
    const plan = planValeurs(file, 'revn.csv', new Map([['2015|QP075012', 't12']]), existing);
    expect(plan.updates).toEqual([{ id: 'v1', set: { valeur: 14560, texte: '14 560', source: 'INSEE REVN_2022 (revn.csv l.900)' } }]);
    expect(plan.inserts).toEqual([
      { territoireId: 't12', indicateur: 'revenu_disponible_median', valeur: 16230, texte: '16 230', millesime: '2022', source: 'INSEE REVN_2022 (revn.csv l.900)' },
    ]);
  });
});

describe('links computed from contours', () => {
  // Two neighbouring "arrondissements" sharing the line x = 1.
  const west = { id: 'ouest', code: 'O', contour: rect(0, 0, 1, 1), bbox: [0, 0, 1, 1] as [number, number, number, number] };
  const east = { id: 'est', code: 'E', contour: rect(1, 0, 2, 1), bbox: [1, 0, 2, 1] as [number, number, number, number] };
  const child = (id: string, x0: number, x1: number) => ({ id, code: id, contour: rect(x0, 0.2, x1, 0.8), bbox: [x0, 0.2, x1, 0.8] as [number, number, number, number] });

  it('links a territory to every parent holding a real share of it', () => {
    const links = computeLinks([child('a-cheval', 0.5, 1.5), child('dedans', 0.1, 0.4)], [west, east], QPV_RULE);
    expect(links.map((l) => `${l.enfantId}>${l.parentId}`).sort()).toEqual(['a-cheval>est', 'a-cheval>ouest', 'dedans>ouest']);
    expect(links.find((l) => l.enfantId === 'a-cheval' && l.parentId === 'est')!.part).toBeCloseTo(0.5, 1);
  });

  it('ignores the slivers two layers leave along a shared boundary, not a real spill', () => {
    // Near Paris: 1 m of longitude is about 1.37e-5 degree at 48.85° N.
    const m = 1 / (111_195 * Math.cos((48.85 * Math.PI) / 180));
    const a = { id: 'a', code: 'A', contour: rect(2.3, 48.84, 2.35, 48.86), bbox: [2.3, 48.84, 2.35, 48.86] as [number, number, number, number] };
    const b = { id: 'b', code: 'B', contour: rect(2.35, 48.84, 2.4, 48.86), bbox: [2.35, 48.84, 2.4, 48.86] as [number, number, number, number] };
    const q = (id: string, east: number) => ({ id, code: id, contour: rect(2.34, 48.845, east, 48.855), bbox: [2.34, 48.845, east, 48.855] as [number, number, number, number] });
    // The grid (1.8 m) is finer than the sliver, so the sliver is sampled and judged by its depth.
    const links = computeLinks([q('liseré', 2.35 + 3 * m), q('debord', 2.35 + 60 * m)], [a, b], { grid: 400, minDepthMetres: 15 });
    expect(links.map((l) => `${l.enfantId}>${l.parentId}`).sort()).toEqual(['debord>a', 'debord>b', 'liseré>a']);
  });

  it('gives an IRIS the one parent holding most of it', () => {
    const links = computeLinks([child('iris', 0.2, 1.1)], [west, east], IRIS_RULE);
    expect(links.map((l) => l.parentId)).toEqual(['ouest']);
  });

  it('samples points inside the contour only', () => {
    const l: AreaGeometry = { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]] };
    const points = samplePoints(l, 10);
    expect(points.length).toBe(75);
    expect(points.every(([x, y]) => x < 1 || y < 1)).toBe(true);
  });
});

describe('links computed on the real Paris files', () => {
  const layer = (kind: 'qpv' | 'arrondissements' | 'iris', file: string) =>
    parseLayer(kind, readFileSync(geoFile(file), 'utf8')).map((t) => ({ id: t.code, code: t.code, contour: t.contour, bbox: t.bbox, commune: t.commune }));
  const arrondissements = layer('arrondissements', 'paris_arrondissements.geojson');

  it('links each QPV to the arrondissements its official file names, but for a 3-metre sliver', () => {
    const qpv = layer('qpv', 'qpv2015_paris.geojson');
    const named = qpv.flatMap((q) => arrondissementsParisImprimes(q.commune!).map((a) => `${q.code}>${a}`));
    const links = computeLinks(qpv, arrondissements, QPV_RULE).map((l) => `${l.enfantId}>${l.parentId}`);
    // COMMUNE_QP names the 18th for QP075015; its contour enters the 18th by 3 m at most, like the
    // slivers QP075014 and QP075020 leave along their boundaries, which the file does not name.
    expect(links.sort()).toEqual(named.filter((l) => l !== 'QP075015>75118').sort());
  });

  it('puts each of the 992 IRIS in the arrondissement its code names', () => {
    const iris = layer('iris', 'iris_paris.geojson');
    const links = computeLinks(iris, arrondissements, IRIS_RULE);
    expect(links).toHaveLength(992);
    expect(links.filter((l) => !l.enfantId.startsWith(l.parentId))).toEqual([]);
  });
});
