import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decimal, frenchNumber, readHeader, requireColumns, splitCsvLine } from './csv.ts';
import { featureLines, findJsonError } from './json.ts';
import { parseLayer } from './geojson.ts';
import { parseInsee } from './insee.ts';
import { readAdresses } from './adresses.ts';
import { ImportFailure, millesimeFromName, summary } from './model.ts';

/** The ImportFailure a call throws (fails the test if it does not throw one). */
function failure(run: () => unknown): ImportFailure {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportFailure);
    return e as ImportFailure;
  }
  throw new Error("aucune erreur levée alors qu'une erreur était attendue");
}

async function failureOf(promise: Promise<unknown>): Promise<ImportFailure> {
  const e = await promise.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ImportFailure);
  return e as ImportFailure;
}

const square = (x: number, y: number, size = 0.01) => [
  [
    [x, y],
    [x + size, y],
    [x + size, y + size],
    [x, y + size],
    [x, y],
  ],
];
const feature = (properties: Record<string, unknown>, geometry: unknown = { type: 'Polygon', coordinates: square(2.35, 48.85) }) => ({
  type: 'Feature',
  properties,
  geometry,
});
const collection = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features }, null, 2);

describe('CSV cells', () => {
  it('splits on semicolons, with quoted fields', () => {
    expect(splitCsvLine('a;b;;')).toEqual(['a', 'b', '', '']);
    expect(splitCsvLine('"rue ""du"" Four; bis";12')).toEqual(['rue "du" Four; bis', '12']);
  });

  it('reads numbers as INSEE prints them, spaces of any kind grouping thousands', () => {
    expect(frenchNumber('14 970', 2, 'POP_MUN')).toBe(14970);
    expect(frenchNumber('2\u202f145', 2, 'POP_MUN')).toBe(2145);
    expect(frenchNumber('1\u00a0238', 2, 'POP_MUN')).toBe(1238);
    expect(frenchNumber('34,8', 2, 'TP60')).toBe(34.8);
    expect(frenchNumber('-10,0', 2, 'PIMPOT')).toBe(-10);
    expect(frenchNumber('', 2, 'TP60')).toBeNull();
  });

  it('names the line and the column of a value that is not a number', () => {
    expect(failure(() => decimal('48,86x', 1284, 'lat')).message).toBe("Ligne 1 284, colonne lat : « 48,86x » n'est pas un nombre.");
    const f = failure(() => frenchNumber('12.5.3', 7, 'TP60'));
    expect([f.ligne, f.colonne]).toEqual([7, 'TP60']);
  });

  it('names a required column that is missing', () => {
    const header = readHeader('\ufeffid;numero;rep;nom_voie;code_postal;lon;lat');
    const f = failure(() => requireColumns(header, ['id', 'code_insee']));
    expect(f.message).toMatch(/^Colonne obligatoire absente : code_insee \(colonnes lues sur la ligne 1 : id, numero/);
    expect(f.colonne).toBe('code_insee');
  });
});

describe('JSON syntax errors', () => {
  it('gives the line and the column of the first error, in French', () => {
    expect(findJsonError('{\n  "a": 1,\n  "b" 2\n}')).toEqual({ ligne: 3, colonne: 7, message: '« : » attendu après le nom de propriété, caractère inattendu « 2 »' });
    expect(findJsonError('{"a": [1, 2,]}')).toMatchObject({ ligne: 1, colonne: 13 });
    expect(findJsonError('{"a": 1')).toMatchObject({ message: '« , » ou « } » attendu après une valeur, fin du fichier inattendue' });
    expect(findJsonError('{"a": 1}')).toBeNull();
  });

  it('finds the line each feature starts on', () => {
    expect(featureLines(collection(feature({ a: 1 }), feature({ b: '"}' }), feature({})))).toEqual([4, 37, 70]);
    expect(featureLines('{"type":"FeatureCollection","features":[{"type":"Feature"},{"type":"Feature"}]}')).toEqual([1, 1]);
  });
});

describe('GeoJSON layers', () => {
  const qpv = (code: string, nom = 'Goutte D’Or', geometry?: unknown) => feature({ CODE_QP: code, NOM_QP: nom, COMMUNE_QP: 'Paris 18ème arrondissement' }, geometry);

  it('reads QPV contours of both geographies, with their bounding box', () => {
    const parsed = parseLayer('qpv', collection(qpv('QP075012'), feature({ code_qp: 'QN07501M', lib_qp: 'Goutte d’Or' })));
    expect(parsed.map((p) => [p.type, p.geographie, p.code, p.nom])).toEqual([
      ['qpv', '2015', 'QP075012', 'Goutte D’Or'],
      ['qpv', '2024', 'QN07501M', 'Goutte d’Or'],
    ]);
    expect(parsed[0]!.bbox).toEqual([2.35, 48.85, 2.36, 48.86]);
    expect(parsed[0]!.commune).toBe('Paris 18ème arrondissement');
  });

  it('refuses a file that is not JSON, naming the line and the column', () => {
    const f = failure(() => parseLayer('qpv', '{"type": "FeatureCollection",\n "features": [}'));
    expect(f.message).toBe("Le fichier n'est pas un GeoJSON : ligne 2, colonne 15 : valeur attendue, caractère inattendu « } ».");
    expect([f.ligne, f.colonne]).toEqual([2, '15']);
  });

  it('refuses JSON that is not a feature collection', () => {
    expect(failure(() => parseLayer('qpv', '{"type": "Feature"}')).message).toBe(
      "Le fichier n'est pas un GeoJSON : l'objet principal doit être une FeatureCollection (il est de type « Feature »).",
    );
    expect(failure(() => parseLayer('qpv', collection())).message).toBe('Le fichier ne contient aucune entité.');
  });

  it('refuses a geometry that is not a contour', () => {
    const f = failure(() => parseLayer('qpv', collection(qpv('QP075012'), qpv('QP075013', 'X', { type: 'Point', coordinates: [2.35, 48.85] }))));
    expect(f.message).toBe(
      'Ligne 39, entité n° 2 (QP075013), propriété geometry : géométrie de type « Point » : un contour doit être un Polygon ou un MultiPolygon.',
    );
    expect([f.ligne, f.colonne]).toEqual([39, 'geometry']);
  });

  it('refuses coordinates outside WGS84 and suggests Lambert-93', () => {
    const lambert = { type: 'Polygon', coordinates: square(650852.91, 6862571.27, 100) };
    const f = failure(() => parseLayer('qpv', collection(qpv('QP075012', 'A', lambert))));
    expect(f.message).toContain('point [650852.91, 6862571.27] hors des limites WGS84 (longitude de -180 à 180, latitude de -90 à 90).');
    expect(f.message).toContain('Lambert-93 (EPSG:2154)');
  });

  it('refuses an open ring, a missing code, a malformed code and a duplicate', () => {
    const open = { type: 'Polygon', coordinates: [[[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.86]]] };
    expect(failure(() => parseLayer('qpv', collection(qpv('QP075012', 'A', open)))).message).toContain('anneau non fermé');
    expect(failure(() => parseLayer('qpv', collection(feature({ NOM_QP: 'Sans code' })))).message).toMatch(/^Ligne 4, entité n° 1, propriété CODE_QP : absente ou vide/);
    const bad = failure(() => parseLayer('qpv', collection(qpv('QP75012'))));
    expect(bad.message).toMatch(/^Ligne 4, entité n° 1, propriété CODE_QP : « QP75012 » n'est pas un code de quartier prioritaire \(attendu : « QP » suivi de 6 caractères/);
    expect(bad.colonne).toBe('CODE_QP');
    expect(failure(() => parseLayer('qpv', collection(qpv('QP075012'), qpv('QP075012')))).message).toContain("code en double (déjà à l'entité n° 1)");
  });

  it('reads arrondissements (numeric INSEE code, official name) and IRIS (checked against their commune)', () => {
    const [arr] = parseLayer('arrondissements', collection(feature({ c_arinsee: 75118, l_ar: '18ème Ardt', l_aroff: 'Buttes-Montmartre' })));
    expect(arr).toMatchObject({ type: 'arrondissement', geographie: 'cog', code: '75118', nom: '18ème Ardt', nomOfficiel: 'Buttes-Montmartre' });
    const [iris] = parseLayer('iris', collection(feature({ CODE_IRIS: '751187220', NOM_IRIS: 'Goutte d’Or 20', CODE_COM: '75118' })));
    expect(iris).toMatchObject({ type: 'iris', code: '751187220', commune: '75118' });
    const f = failure(() => parseLayer('iris', collection(feature({ CODE_IRIS: '751187220', NOM_IRIS: 'X', CODE_COM: '75119' }))));
    expect(f.message).toBe('Ligne 4, entité n° 1 (751187220), propriété CODE_COM : « 75119 » ne correspond pas au code IRIS 751187220 (ses 5 premiers caractères).');
  });
});

describe('INSEE files', () => {
  const demo = [
    '\ufeffCODGEO;LIBGEO;POP_MUN;TX_F;;;;',
    'QP001001;Grande Reyssouze;6\u202f490;55,3;;;;',
    'QP075012;Goutte D\'Or;12\u202f251;46,8;;;;',
    ';;;;;;;',
    '',
  ].join('\r\n');

  it('recognises a DEMO file, keeps figures as printed, and takes the vintage from the file name', () => {
    const f = parseInsee(demo, 'insee_qpv2015_demo_2022.csv');
    expect([f.kind, f.label, f.millesime]).toEqual(['DEMO', 'DEMO_2022', '2022']);
    expect(f.lignes).toEqual([
      { ligne: 2, code: 'QP001001', geographie: '2015', valeurs: [{ indicateur: 'population', valeur: 6490, texte: '6\u202f490' }] },
      { ligne: 3, code: 'QP075012', geographie: '2015', valeurs: [{ indicateur: 'population', valeur: 12251, texte: '12\u202f251' }] },
    ]);
  });

  it('recognises a REVN file: declared median income (the contract\'s measure), disposable median income, poverty rate; skips empty cells', () => {
    // The columns in the official file's order: DECUC_Q2 (declared, before taxes and benefits) comes before DISP_Q2.
    const revn =
      '\ufeffCODGEO;LIBGEO;PMIMP;DECUC_Q2;DECUC_Q1;DISP_Q2;TP60;;\n' +
      'QP075012;Goutte D\'Or;50,6;14\u202f560;7\u202f790;16\u202f230;34,8;;\n' +
      'QP075013;Charles Hermite;;;;14\u202f550;41,2;;\n';
    const f = parseInsee(revn, 'REVN_2022.csv');
    expect([f.kind, f.label, f.millesime]).toEqual(['REVN', 'REVN_2022', '2022']);
    expect(f.lignes[0]!.valeurs).toEqual([
      { indicateur: 'revenu_median', valeur: 14560, texte: '14\u202f560' },
      { indicateur: 'revenu_disponible_median', valeur: 16230, texte: '16\u202f230' },
      { indicateur: 'taux_pauvrete', valeur: 34.8, texte: '34,8' },
    ]);
    expect(f.lignes[1]!.valeurs).toEqual([
      { indicateur: 'revenu_disponible_median', valeur: 14550, texte: '14\u202f550' },
      { indicateur: 'taux_pauvrete', valeur: 41.2, texte: '41,2' },
    ]);
  });

  it('never files the disposable income as the median income, even when the file has no DECUC_Q2 column', () => {
    const f = parseInsee('CODGEO;LIBGEO;DISP_Q2;TP60\nQP075012;Goutte D\'Or;16\u202f230;34,8\n', 'REVN_2022.csv');
    expect(f.kind).toBe('REVN');
    expect(f.lignes[0]!.valeurs.map((v) => v.indicateur)).toEqual(['revenu_disponible_median', 'taux_pauvrete']);
  });

  it('recognises the national population 2013 file by its header', () => {
    const f = parseInsee('qp;nom_qp;reg;population_municipale_2013\nQP075012;Goutte D\'Or;11;12970\n', 'qpv2015_france_population_2013.csv');
    expect([f.kind, f.millesime, f.label]).toEqual(['POP', '2013', 'population municipale 2013']);
    expect(f.lignes[0]!.valeurs).toEqual([{ indicateur: 'population', valeur: 12970, texte: '12970' }]);
  });

  it('names the line and the column of a bad figure or a bad code', () => {
    const bad = demo.replace('12\u202f251', '12 25l');
    const f = failure(() => parseInsee(bad, 'DEMO_2022.csv'));
    expect(f.message).toBe("Ligne 3, colonne POP_MUN : « 12 25l » n'est pas un nombre.");
    const code = failure(() => parseInsee(demo.replace('QP075012', 'Paris 18'), 'DEMO_2022.csv'));
    expect(code.message).toMatch(/^Ligne 3, colonne CODGEO : « Paris 18 » n'est pas un code de quartier prioritaire/);
  });

  it('refuses a file it does not recognise, or without a vintage in its name', () => {
    expect(failure(() => parseInsee('a;b\n1;2\n', 'x.csv')).message).toMatch(/^Fichier INSEE non reconnu : la ligne 1 doit nommer les colonnes CODGEO et POP_MUN/);
    expect(failure(() => parseInsee(demo, 'demo.csv')).message).toMatch(/^Millésime introuvable : le nom du fichier doit contenir l'année des données/);
  });
});

describe('BAN address files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pilotis-ban-'));
  const header = 'id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;lon;lat';
  const row = (id: string, numero: string, lat = '48.861299') => `${id};;${numero};;Avenue du Général Lemonnier;75001;75101;Paris 1er Arrondissement;2.330113;${lat}`;
  const write = (name: string, lines: string[], gzip = false) => {
    const path = join(dir, name);
    const text = `${lines.join('\n')}\n`;
    writeFileSync(path, gzip ? gzipSync(text) : text);
    return path;
  };
  const all = async (path: string, batchSize = 2) => {
    const out = [];
    for await (const batch of readAdresses(path, { batchSize })) out.push(batch.length);
    return out;
  };

  it('streams a compressed or plain file in batches', async () => {
    const lines = [header, row('75101_a_00001', '1'), row('75101_a_00002', '2'), '', row('75101_a_00003', '3')];
    expect(await all(write('a.csv.gz', lines, true))).toEqual([2, 1]);
    expect(await all(write('a.csv', lines))).toEqual([2, 1]);
    const [batch] = await (async () => {
      const out = [];
      for await (const b of readAdresses(write('b.csv', [header, row('75101_a_00001', '1')]))) out.push(b);
      return out;
    })();
    expect(batch).toEqual([{ id: '75101_a_00001', numero: 1, rep: null, nomVoie: 'Avenue du Général Lemonnier', codePostal: '75001', codeInsee: '75101', lon: 2.330113, lat: 48.861299 }]);
  });

  it('names the line and the column of a bad coordinate, a bad number, a duplicate id', async () => {
    const f = await failureOf(all(write('c.csv', [header, row('a', '1'), row('b', '2', '48,86x')])));
    expect(f.message).toBe("Ligne 3, colonne lat : « 48,86x » n'est pas un nombre.");
    expect([f.ligne, f.colonne]).toEqual([3, 'lat']);
    expect((await failureOf(all(write('d.csv', [header, row('a', '12a')])))).message).toMatch(/^Ligne 2, colonne numero : « 12a » n'est pas un numéro/);
    expect((await failureOf(all(write('e.csv', [header, row('a', '1', '148.8')])))).message).toBe('Ligne 2, colonne lat : « 148.8 » est hors des limites WGS84 (latitude de -90 à 90).');
    expect((await failureOf(all(write('f.csv', [header, row('a', '1'), row('a', '2')])))).message).toBe("Ligne 3, colonne id : l'identifiant « a » figure déjà à la ligne 2.");
  });

  it('names a missing column, and a truncated archive', async () => {
    const f = await failureOf(all(write('g.csv', ['id;numero;rep;nom_voie;code_postal;lon;lat', 'a;1;;Rue;75001;2.3;48.8'])));
    expect(f.message).toMatch(/^Colonne obligatoire absente : code_insee/);
    const gz = gzipSync(`${[header, ...Array.from({ length: 3000 }, (_, i) => row(`id${i}`, String(i)))].join('\n')}\n`);
    const path = join(dir, 'h.csv.gz');
    writeFileSync(path, gz.subarray(0, gz.length - 40));
    expect((await failureOf(all(path, 1000))).message).toMatch(/^Le fichier compressé est illisible ou tronqué après la ligne/);
  });
});

describe('messages', () => {
  it('says what a run did, in French with plurals', () => {
    expect(summary('qpv', { ajoutes: 0, modifies: 20, inchanges: 0, ignores: 0 })).toBe('0 territoire ajouté, 20 modifiés, 0 inchangé.');
    expect(summary('insee-qpv', { ajoutes: 40, modifies: 0, inchanges: 1, ignores: 1332 })).toBe(
      '40 valeurs ajoutées, 0 modifiée, 1 inchangée. 1 332 lignes ignorées (quartiers absents du contrat).',
    );
  });

  it('reads the vintage in a file name', () => {
    expect(millesimeFromName('insee_qpv2015_demo_2022.csv')).toBe('2022');
    expect(millesimeFromName('DEMO_2022.csv')).toBe('2022');
    expect(millesimeFromName('demo.csv')).toBeNull();
  });
});
