import { basename } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/app.ts';
import { geoFile } from '../../test/geo-data.ts';
import { decodeEntities, tags, textOf } from '../../test/html.ts';
import { TestClient } from '../../test/http-client.ts';
import { SYSTEM } from '../defaults.ts';
import { runImport } from './import/run.ts';
import type { ImportKind } from './import/model.ts';
import { ajouterValeurs, listTerritoires } from './store.ts';

// The public pages of the priority geography and the territories API, on the default contract and
// the real open-data files, imported with the importer people use.

async function importer(t: TestApp, kind: ImportKind, name: string): Promise<void> {
  const outcome = await runImport({ db: t.database.db, contratId: t.contrat.id, kind, path: geoFile(name), fichier: basename(name), by: SYSTEM });
  expect(outcome.statut, outcome.message).toBe('termine');
}

/** The text of the page's <main>, tags dropped, spaces collapsed. */
function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
  return decodeEntities(main.replace(/<svg[\s\S]*?<\/svg>/g, ' ').replace(/<\/?(a|span|strong|em)\b[^>]*>/g, '').replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ');
}

/** The cells of each body row of the first table of the page, as text. */
function rows(html: string): string[][] {
  const table = /<table>([\s\S]*?)<\/table>/.exec(html)![1]!;
  const body = [...table.matchAll(/<tbody>([\s\S]*?)<\/tbody>/g)].map((m) => m[1]).join('');
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decodeEntities(c[1]!.replace(/<br\s*\/?>/g, ' ').replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim()),
  );
}

const svgPaths = (html: string) => tags(html).filter((t) => t.name === 'path' && t.attrs['data-code']);

describeEachDatabase('territoires: the QPV pages, maps and API', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await accountWithRole(t, 'admin@exemple.fr', 'admin');
  });
  afterAll(() => t.close());

  it('lists the 20 QPV as the contract prints them, with the total computed and checked against the printed one', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/quartiers' });
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body, 'h1')).toBe('Les quartiers prioritaires');
    const text = mainText(res.body);
    expect(text).toContain('Géographie prioritaire 2015 (codes QP)');
    const table = rows(res.body);
    expect(table).toHaveLength(20);
    const goutteDor = table.find((r) => r[0] === 'QP075012')!;
    expect(goutteDor.slice(0, 3)).toEqual(['QP075012', "Goutte d'Or", '18e']);
    expect(goutteDor[3]).toBe('12 970 Contrat de ville, seed 002 l.905, millésime RFL2011');
    expect(goutteDor[4]).toBe('10 800 Contrat de ville, seed 002 l.905, millésime RFL2011');
    expect(table.find((r) => r[0] === 'QP075020')!.slice(2, 5).map((c) => c.split(' Contrat')[0])).toEqual(['10e, 11e, 20e', '30 210', '12 300']);
    expect(table.find((r) => r[0] === 'QP075013')![2]).toBe('18e, 19e');
    // Every quartier has its sheet.
    const links = tags(res.body).filter((x) => x.name === 'a' && x.attrs.href?.startsWith('/quartiers/QP'));
    expect(new Set(links.map((l) => l.attrs.href)).size).toBe(20);
    // The total is the sum of the table, and it agrees with the contract's text here.
    expect(text).toContain('Les 20 quartiers comptent 150 460 habitants, somme calculée à partir du tableau du contrat.');
    expect(text).toContain('Le contrat indique 150 460 habitants (Contrat de ville, seed 002 l.802-803) : la somme du tableau donne le même total.');
    expect(text).toContain('Total calculé (20 quartiers) 150 460');
    // Quartiers de veille active: named, without contours.
    for (const nom of ['Porte de Vincennes', 'Olympiades', "Cité de l'Eure", 'Périchaux', 'Joinville-Barbanègre', 'Ourcq-Léon Giraud', '140 Ménilmontant']) {
      expect(text).toContain(nom);
    }
    expect(text).toContain('ils n’ont pas de contour');
  });

  it('says the map is missing until contours are imported, and points administrators to the import', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/quartiers/QP075012' });
    expect(mainText(anonymous.body)).toContain('Le contour de ce quartier n’a pas encore été importé');
    const importLink = '<a href="/admin/imports">Importer le fichier officiel des contours</a>';
    expect(anonymous.body).not.toContain(importLink);
    expect(anonymous.body).not.toContain('<svg');
    const admin = new TestClient(t.app);
    await admin.signIn('admin@exemple.fr', TEST_PASSWORD);
    expect(mainText((await admin.get('/quartiers/QP075012')).body)).toContain('Importer le fichier officiel des contours');
    expect((await admin.get('/quartiers')).body).toContain(importLink);
    expect((await admin.get('/admin/imports')).statusCode).toBe(200);
    const noContour = await t.app.inject({ method: 'GET', url: '/api/v1/territoires/QP075012/contour' });
    expect(noContour.statusCode).toBe(404);
    expect(noContour.json().message).toContain('n’a pas encore été importé');
  });

  it('shows a fact sheet: official name, arrondissement, figures with source and vintage', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/quartiers/QP075012' });
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body, 'h1')).toBe("Goutte d'Or");
    const text = mainText(res.body);
    expect(text).toContain("Nom officiel Goutte D'Or (le contrat écrit « Goutte d'Or »)");
    expect(text).toContain('Géographie Géographie prioritaire 2015 (codes QP)');
    expect(res.body).toContain('href="/territoires/arrondissements/75118"');
    expect(rows(res.body)).toEqual([
      ['Population (habitants)', '12 970', 'RFL2011', 'Contrat de ville, seed 002 l.905'],
      ['Revenu fiscal (déclaré) médian par unité de consommation (€/UC)', '10 800', 'RFL2011', 'Contrat de ville, seed 002 l.905'],
    ]);
    expect(text).not.toContain('Les sources divergent');
  });

  it('answers 404 in French for an unknown quartier, page and API alike', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/quartiers/QP075099' });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(mainText(page.body)).toContain('Aucun quartier prioritaire ne porte ce code.');
    const arr = await t.app.inject({ method: 'GET', url: '/territoires/arrondissements/75199' });
    expect(arr.statusCode).toBe(404);
    for (const url of ['/api/v1/territoires/QP075099', '/api/v1/territoires/QP075099/contour']) {
      const api = await t.app.inject({ method: 'GET', url });
      expect(api.statusCode, url).toBe(404);
      expect(api.json()).toEqual({ erreur: 'Page introuvable', message: 'Aucun territoire ne porte le code « QP075099 » dans ce contrat.' });
    }
  });

  it('draws the maps once the official contours are imported: all QPV over the arrondissements, one QPV highlighted', async () => {
    await importer(t, 'arrondissements', 'paris_arrondissements.geojson');
    await importer(t, 'qpv', 'qpv2015_paris.geojson');

    const list = await t.app.inject({ method: 'GET', url: '/quartiers' });
    const figure = tags(list.body).find((x) => x.name === 'figure' && x.attrs.class === 'carte')!;
    expect(figure.attrs['data-geojson-url']).toBe('/api/v1/territoires/contours?type=arrondissement /api/v1/territoires/contours?type=qpv&geographie=2015');
    expect(figure.attrs['data-lien']).toBe('/quartiers/{code}');
    const codes = svgPaths(list.body).map((p) => p.attrs['data-code']);
    expect(codes.filter((c) => c!.startsWith('QP'))).toHaveLength(20);
    expect(codes.filter((c) => c!.startsWith('751'))).toHaveLength(20);
    expect(list.body).toContain('<title id="carte-quartiers-titre">Carte des 20 quartiers prioritaires</title>');

    const sheet = await t.app.inject({ method: 'GET', url: '/quartiers/QP075012' });
    const highlighted = svgPaths(sheet.body).find((p) => p.attrs['data-code'] === 'QP075012')!;
    expect(highlighted.attrs.fill).toBe('url(#carte-quartier-motif-surbrillance)');
    expect(sheet.body).toContain(`<title id="carte-quartier-titre">Contour du quartier prioritaire Goutte d'Or</title>`);
    expect(mainText(sheet.body)).toContain('Contour : qpv2015_paris.geojson');
    expect(tags(sheet.body).find((x) => x.name === 'figure')!.attrs['data-surbrillance']).toBe('QP075012');
    // The Leaflet enhancement's files, served by Pilotis itself.
    expect(sheet.body).toContain('<script src="/static/vendor/leaflet/leaflet.js" defer>');
    expect(sheet.body).toContain('<script src="/static/carte.js" defer>');

    const arr = await t.app.inject({ method: 'GET', url: '/territoires/arrondissements/75118' });
    expect(textOf(arr.body, 'h1')).toBe('18e arrondissement');
    expect(svgPaths(arr.body).find((p) => p.attrs['data-code'] === '75118')!.attrs.fill).toBe('url(#carte-arrondissement-motif-surbrillance)');
    for (const nom of ["Goutte d'Or", 'Blémont', 'La Chapelle-Evangile', 'Porte Montmartre-Porte des Poissonniers-Moskova', 'Porte de la Chapelle-Charles Hermite']) {
      expect(mainText(arr.body)).toContain(nom);
    }
  });

  it('lists the IRIS of an arrondissement once the IRIS are imported', async () => {
    await importer(t, 'iris', 'iris_paris.geojson');
    const arr = await t.app.inject({ method: 'GET', url: '/territoires/arrondissements/75118' });
    expect(mainText(arr.body)).toMatch(/Les \d+ IRIS de l’arrondissement/);
    expect(mainText(arr.body)).toContain('751187104');
    expect(mainText(arr.body)).toContain("Goutte d'Or 4");
    expect(mainText(arr.body)).not.toContain('751010201');
  });

  it('serves the contours as GeoJSON for the interactive maps', async () => {
    const one = await t.app.inject({ method: 'GET', url: '/api/v1/territoires/QP075012/contour' });
    expect(one.statusCode).toBe(200);
    expect(one.headers['content-type']).toContain('application/geo+json');
    const feature = one.json();
    expect(feature.type).toBe('Feature');
    expect(feature.properties).toEqual({ code: 'QP075012', nom: "Goutte d'Or", type: 'qpv', geographie: '2015', source: 'qpv2015_paris.geojson' });
    expect(feature.geometry.type).toBe('Polygon');
    expect(feature.geometry.coordinates[0].length).toBeGreaterThan(10);
    const all = await t.app.inject({ method: 'GET', url: '/api/v1/territoires/contours?type=qpv&geographie=2015' });
    expect(all.json().features.map((f: { properties: { code: string } }) => f.properties.code)).toHaveLength(20);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/territoires/contours?type=quartier' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].champ).toBe('type');
  });

  it('shows both values and says the sources diverge once INSEE figures are imported', async () => {
    await importer(t, 'insee-qpv', 'insee_qpv2015_demo_2022.csv');
    await importer(t, 'insee-qpv', 'insee_qpv2015_revn_2022.csv');
    const res = await t.app.inject({ method: 'GET', url: '/quartiers/QP075012' });
    const text = mainText(res.body);
    expect(text).toContain('Les sources divergent');
    expect(text).toContain(
      'Population : 12 970 selon Contrat de ville, seed 002 l.905, millésime RFL2011 ; 12 251 selon INSEE DEMO_2022 (insee_qpv2015_demo_2022.csv l.900), millésime 2022.',
    );
    // The contract's RFL2011 median is a declared income: set against INSEE's declared median (DECUC_Q2), 11 years on.
    expect(text).toContain(
      'Revenu fiscal (déclaré) médian par unité de consommation : 10 800 selon Contrat de ville, seed 002 l.905, millésime RFL2011 ; ' +
        '14 560 selon INSEE REVN_2022 (insee_qpv2015_revn_2022.csv l.900), millésime 2022.',
    );
    expect(text).toContain('Les millésimes diffèrent');
    // The disposable income (DISP_Q2) is another measure: shown as its own figure, compared with nothing.
    expect(text).not.toContain('16 230 selon');
    const notice = /<div class="notice notice-warning"[\s\S]*?<\/div>/.exec(res.body)![0];
    expect(mainText(notice)).not.toContain('Revenu disponible');
    const figures = rows(res.body);
    expect(figures).toContainEqual([
      'Revenu fiscal (déclaré) médian par unité de consommation (€/UC)',
      '10 800',
      'RFL2011',
      'Contrat de ville, seed 002 l.905',
    ]);
    expect(figures).toContainEqual(['14 560', '2022', 'INSEE REVN_2022 (insee_qpv2015_revn_2022.csv l.900)']);
    expect(figures).toContainEqual([
      'Revenu disponible médian par unité de consommation (€/UC)',
      '16 230',
      '2022',
      'INSEE REVN_2022 (insee_qpv2015_revn_2022.csv l.900)',
    ]);
    expect(figures).toContainEqual(['Taux de pauvreté (%)', '34,8', '2022', 'INSEE REVN_2022 (insee_qpv2015_revn_2022.csv l.900)']);
    // The list keeps the contract's figures, as its table prints them.
    const list = rows((await t.app.inject({ method: 'GET', url: '/quartiers' })).body);
    expect(list.find((r) => r[0] === 'QP075012')![3]).toBe('12 970 Contrat de ville, seed 002 l.905, millésime RFL2011');
  });

  it('lists and details the territories through the API, each figure with its sources', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/territoires?type=qpv' });
    expect(list.statusCode).toBe(200);
    const territoires = list.json().territoires as Record<string, unknown>[];
    expect(territoires).toHaveLength(20);
    const g = territoires.find((x) => x.code === 'QP075012')!;
    expect(g).toMatchObject({
      code: 'QP075012',
      nom: "Goutte d'Or",
      nomOfficiel: "Goutte D'Or",
      type: 'qpv',
      geographie: '2015',
      population: { valeur: 12970, texte: '12 970', millesime: 'RFL2011', source: 'seed 002 l.905' },
      revenuMedian: { valeur: 10800, texte: '10 800', millesime: 'RFL2011', source: 'seed 002 l.905' },
      contour: '/api/v1/territoires/QP075012/contour?type=qpv&geographie=2015',
    });
    expect((g.population as { autresSources: unknown[] }).autresSources).toEqual([
      { valeur: 12251, texte: expect.stringMatching(/^12\s251$/u), millesime: '2022', source: 'INSEE DEMO_2022 (insee_qpv2015_demo_2022.csv l.900)' },
    ]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/territoires?type=arrondissement' })).json().territoires).toHaveLength(20);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/territoires?type=qva' })).json().territoires).toHaveLength(7);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/territoires?type=qpv&geographie=2024' })).json().territoires).toEqual([]);

    const detail = (await t.app.inject({ method: 'GET', url: '/api/v1/territoires/QP075013' })).json();
    expect(detail.parents.map((p: { code: string }) => p.code)).toEqual(['75118', '75119']);
    expect(detail.valeurs.map((v: { indicateur: string }) => v.indicateur)).toEqual(
      expect.arrayContaining(['population', 'revenu_median', 'revenu_disponible_median', 'taux_pauvrete']),
    );
    expect(detail.divergences.map((d: { indicateur: string }) => d.indicateur)).toEqual(['population', 'revenu_median']);
    expect(detail.divergences[1].valeurs.map((v: { texte: string; millesime: string }) => [v.texte.replace(/\s/gu, ' '), v.millesime])).toEqual([
      ['10 300', 'RFL2011'],
      ['11 750', '2022'],
    ]);

    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const path of ['/api/v1/territoires', '/api/v1/territoires/{code}', '/api/v1/territoires/{code}/contour', '/api/v1/territoires/contours']) {
      expect(doc.paths[path]?.get?.tags, path).toEqual(['Territoires']);
      expect(doc.paths[path].get.security, path).toEqual([]);
    }
  });

  it('compares every QPV on a chosen indicator, sorted without JavaScript, with bars, a table and a choropleth map', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/quartiers/comparer' });
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body, 'h1')).toBe('Comparer les quartiers prioritaires');
    const options = tags(page.body).filter((x) => x.name === 'option' && x.attrs.value?.includes(':'));
    expect(options.map((o) => o.attrs.value)).toEqual(
      expect.arrayContaining(['population:RFL2011:seed 002', 'population:2022:INSEE DEMO_2022', 'taux_pauvrete:2022:INSEE REVN_2022']),
    );
    const sorted = await t.app.inject({ method: 'GET', url: `/quartiers/comparer?serie=${encodeURIComponent('population:RFL2011:seed 002')}&tri=valeur-decroissante` });
    const table = rows(sorted.body);
    expect(table.slice(0, 3).map((r) => [r[0], r[2]])).toEqual([
      ['QP075020', '30 210'],
      ['QP075019', '17 530'],
      ['QP075010', '14 970'],
    ]);
    expect(tags(sorted.body).find((x) => x.name === 'th' && x.attrs['aria-sort'])!.attrs['aria-sort']).toBe('descending');
    expect(sorted.body).toContain('<title id="barres-serie-titre">Population — contrat de ville, millésime RFL2011, par quartier prioritaire</title>');
    expect(sorted.body).toMatch(/<text[^>]*>30 210<\/text>/);
    const choropleth = svgPaths(sorted.body).filter((p) => p.attrs['data-code']!.startsWith('QP'));
    expect(choropleth).toHaveLength(20);
    expect(new Set(choropleth.map((p) => p.attrs.fill)).size).toBe(5);

    const poverty = await t.app.inject({ method: 'GET', url: `/quartiers/comparer?serie=${encodeURIComponent('taux_pauvrete:2022:INSEE REVN_2022')}&tri=nom` });
    const byName = rows(poverty.body);
    expect(byName[0]![1]).toBe('Algérie');
    expect(byName.find((r) => r[0] === 'QP075012')![2]).toBe('34,8 %');

    // A value for the whole city in the same series: a reference line and each quartier's gap to it.
    const paris = (await listTerritoires(t.database.db, t.contrat.id, { type: 'commune' })).find((x) => x.code === '75056')!;
    await ajouterValeurs(t.database.db, SYSTEM, t.contrat.id, [
      { territoireId: paris.id, indicateur: 'taux_pauvrete', valeur: 20, texte: '20,0', millesime: '2022', source: 'INSEE REVN_2022 (valeur de test l.1)' },
    ]);
    const withRef = await t.app.inject({ method: 'GET', url: `/quartiers/comparer?serie=${encodeURIComponent('taux_pauvrete:2022:INSEE REVN_2022')}` });
    expect(mainText(withRef.body)).toContain('Valeur de référence pour Paris : 20,0 % (INSEE REVN_2022 (valeur de test l.1)).');
    expect(tags(withRef.body).find((x) => x.name === 'line')!.attrs['stroke-dasharray']).toBe('6 4');
    const goutteDorGap = rows(withRef.body).find((r) => r[0] === 'QP075012')!;
    expect(goutteDorGap[3]!.replace(/\s/gu, ' ')).toBe('+74 %');

    const unknown = await t.app.inject({ method: 'GET', url: '/quartiers/comparer?serie=inconnu' });
    expect(unknown.statusCode).toBe(400);
    expect(mainText(unknown.body)).toContain('Cet indicateur n’existe pas pour ces quartiers');
    expect((await t.app.inject({ method: 'GET', url: '/quartiers/comparer?tri=hasard' })).statusCode).toBe(400);
  });

  it('downloads the table as CSV, French spreadsheet style', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/quartiers.csv?geographie=2015' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="quartiers-prioritaires-2015.csv"');
    const lines = res.body.split('\r\n');
    expect(lines[0]!.startsWith('\uFEFFCode;Nom;Nom officiel;Géographie;Arrondissements;Population (imprimé);Population;')).toBe(true);
    expect(lines).toContain("QP075012;Goutte d'Or;Goutte D'Or;Géographie prioritaire 2015 (codes QP);75118;12 970;12970;RFL2011;seed 002 l.905;10 800;10800;RFL2011;seed 002 l.905");
    expect(lines.filter((l) => l.startsWith('QP'))).toHaveLength(20);
    expect((await t.app.inject({ method: 'GET', url: '/quartiers?geographie=2024' })).statusCode).toBe(404);
  });

  it('shows a visible note when the printed total and the sum of the table disagree', async () => {
    const goutteDor = (await listTerritoires(t.database.db, t.contrat.id, { type: 'qpv' })).find((x) => x.code === 'QP075012')!;
    const corrige = { territoireId: goutteDor.id, indicateur: 'population', millesime: 'RFL2011', source: 'seed 002 l.905' };
    await ajouterValeurs(t.database.db, SYSTEM, t.contrat.id, [{ ...corrige, texte: '12 980', valeur: 12980 }]);
    try {
      const text = mainText((await t.app.inject({ method: 'GET', url: '/quartiers' })).body);
      expect(text).toContain('Le contrat indique 150 460 habitants ; la somme du tableau donne 150 470 : écart de 10 habitants.');
      expect(text).toContain('Les deux chiffres sont affichés ; aucun n');
    } finally {
      await ajouterValeurs(t.database.db, SYSTEM, t.contrat.id, [{ ...corrige, texte: '12 970', valeur: 12970 }]);
    }
  });

  it('lets a configured tile server through the CSP and gives its address and attribution to the map', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/quartiers' })).headers['content-security-policy']).toContain("img-src 'self' data:;");
    const tiles = await startTestApp(kind, {
      MAP_TILE_URL: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png',
      MAP_TILE_ATTRIBUTION: '© les contributeurs d’OpenStreetMap',
    });
    try {
      await importer(tiles, 'qpv', 'qpv2015_paris.geojson');
      const res = await tiles.app.inject({ method: 'GET', url: '/quartiers/QP075012' });
      expect(res.headers['content-security-policy']).toContain("img-src 'self' data: https://*.tile.openstreetmap.org;");
      const figure = tags(res.body).find((x) => x.name === 'figure')!;
      expect(figure.attrs['data-tile-url']).toBe('https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png');
      expect(figure.attrs['data-tile-attribution']).toBe('© les contributeurs d’OpenStreetMap');
    } finally {
      await tiles.close();
    }
  });

  it('serves Leaflet’s runtime files and the enhancement script, not the sources beside them', async () => {
    for (const url of ['/static/vendor/leaflet/leaflet.js', '/static/vendor/leaflet/leaflet.css', '/static/vendor/leaflet/images/layers.png', '/static/carte.js']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
    for (const url of ['/static/vendor/leaflet/leaflet-src.js', '/static/vendor/leaflet/leaflet.js.map', '/static/vendor/leaflet/../package.json']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });
});
