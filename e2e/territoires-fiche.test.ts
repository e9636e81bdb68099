import { basename } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM } from '../src/defaults.ts';
import type { ImportKind } from '../src/territoires/import/model.ts';
import { runImport } from '../src/territoires/import/run.ts';
import { geoFile } from '../test/geo-data.ts';
import type { Locator } from 'playwright-core';
import { expectAccessible, startHarness, type Harness, type Journey } from './harness.ts';

// A resident looks up the priority geography: the list of quartiers, the Goutte d'Or's sheet with its
// map and its sources, the comparison of all quartiers — with JavaScript (Leaflet map) and without (SVG).

let h: Harness;

/** The text of an element with its spaces as a reader sees them (French numbers use narrow no-break spaces). */
async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/gu, ' ');
}

async function importer(kind: ImportKind, name: string): Promise<void> {
  const t = h.testApp;
  const outcome = await runImport({ db: t.database.db, contratId: t.contrat.id, kind, path: geoFile(name), fichier: basename(name), by: SYSTEM });
  expect(outcome.statut, outcome.message).toBe('termine');
}

beforeAll(async () => {
  h = await startHarness();
  await importer('arrondissements', 'paris_arrondissements.geojson');
  await importer('qpv', 'qpv2015_paris.geojson');
  await importer('insee-qpv', 'insee_qpv2015_demo_2022.csv');
  await importer('insee-qpv', 'insee_qpv2015_revn_2022.csv');
});
afterAll(() => h?.close());

/** From the list of quartiers to the Goutte d'Or's sheet: the table, the total, the sources. */
async function openGoutteDor(j: Journey, javaScript: boolean): Promise<void> {
  const { page } = j;
  await j.visit('/quartiers');
  await page.getByRole('heading', { level: 1, name: 'Les quartiers prioritaires' }).waitFor();
  const table = page.getByRole('table', { name: /Les 20 quartiers prioritaires/ });
  await expect(table.getByRole('row').count()).resolves.toBe(1 + 20 + 1);
  await expect(text(table.getByRole('row', { name: /QP075012/ }))).resolves.toContain('12 970');
  await expect(text(page.getByRole('main'))).resolves.toContain('Les 20 quartiers comptent 150 460 habitants');
  // The server's SVG without JavaScript; with it, Leaflet's map in its place (the SVG kept for printing).
  const map = javaScript
    ? page.getByRole('region', { name: /^Carte interactive : Carte des 20 quartiers prioritaires/ })
    : page.getByRole('img', { name: 'Carte des 20 quartiers prioritaires' });
  await map.waitFor();

  await table.getByRole('link', { name: "Goutte d'Or" }).click();
  await page.getByRole('heading', { level: 1, name: "Goutte d'Or" }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/quartiers/QP075012');
  await expectAccessible(page);

  const notice = page.getByRole('note').filter({ hasText: 'Les sources divergent' });
  await expect(text(notice)).resolves.toContain('12 970 selon Contrat de ville, seed 002 l.905, millésime RFL2011 ; 12 251 selon INSEE DEMO_2022');
  // The contract's median income (RFL2011, a declared income) is set against INSEE's declared median, not the disposable one.
  await expect(text(notice)).resolves.toContain('10 800 selon Contrat de ville, seed 002 l.905, millésime RFL2011 ; 14 560 selon INSEE REVN_2022');
  await expect(text(notice)).resolves.not.toContain('16 230');
  const figures = page.getByRole('table', { name: 'Chiffres du quartier, par source et millésime' });
  await expect(text(figures)).resolves.toContain('INSEE DEMO_2022 (insee_qpv2015_demo_2022.csv l.900)');
  await expect(text(figures.getByRole('rowgroup').filter({ hasText: 'Revenu disponible médian par unité de consommation' }))).resolves.toContain('16 230');
  await expect(page.getByRole('main').getByRole('link', { name: '18e arrondissement' }).count()).resolves.toBe(1);
}

it('a resident opens the Goutte d’Or’s sheet and explores its interactive map with the keyboard', async () => {
  const j = await h.journey();
  const { page } = j;
  await openGoutteDor(j, true);

  // On a phone's width a figure stays whole ("12 970", not "12" above "970"): each one lies on a single line.
  await page.setViewportSize({ width: 375, height: 800 });
  const lines = await page
    .getByRole('table', { name: 'Chiffres du quartier, par source et millésime' })
    .locator('.chiffre')
    .evaluateAll((spans) =>
      spans.map((span) => {
        const range = document.createRange();
        range.selectNodeContents(span);
        return [span.textContent, new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size];
      }),
    );
  expect(lines.length).toBeGreaterThanOrEqual(6);
  expect(lines.filter(([, n]) => n !== 1)).toEqual([]);
  // The table now scrolls sideways: its frame must be reachable with the keyboard.
  await expectAccessible(page);
  await page.setViewportSize({ width: 1280, height: 720 });

  // With JavaScript, Leaflet draws the same contours; the SVG stays in the page for printing.
  const figure = page.locator('figure.carte');
  const map = figure.getByRole('region', { name: /Carte interactive : Contour du quartier prioritaire Goutte d'Or/ });
  await map.waitFor();
  await figure.locator('.leaflet-overlay-pane path.carte-surbrillance').waitFor();
  await expect(figure.locator('.leaflet-overlay-pane path.leaflet-interactive').count()).resolves.toBe(40);
  await expect(figure.locator('svg.carte-svg').isVisible()).resolves.toBe(false);
  await expectAccessible(page);

  // Leaflet's keyboard support: focus the map, zoom in with "+".
  await map.focus();
  const zoomBefore = await page.evaluate(() => document.querySelector('.leaflet-map-pane')!.querySelector('.leaflet-proxy')?.getAttribute('style'));
  await page.keyboard.press('+');
  await page.waitForFunction(
    (before) => document.querySelector('.leaflet-map-pane')!.querySelector('.leaflet-proxy')?.getAttribute('style') !== before,
    zoomBefore,
  );
  await expect(figure.getByRole('button', { name: 'Zoomer', exact: true }).count()).resolves.toBe(1);

  await page.getByRole('link', { name: 'Comparer les quartiers prioritaires' }).click();
  await page.getByRole('heading', { level: 1, name: 'Comparer les quartiers prioritaires' }).waitFor();
  await expectAccessible(page);
  await page.getByLabel('Ordre', { exact: true }).selectOption({ label: 'Valeur, de la plus forte à la plus faible' });
  await page.getByRole('button', { name: 'Afficher' }).click();
  await page.waitForURL(/tri=valeur-decroissante/);
  await expectAccessible(page);
  const first = page.getByRole('table', { name: /tableau des quartiers/ }).getByRole('row').nth(1);
  await expect(text(first)).resolves.toContain('Grand Belleville');
  await expect(page.getByRole('img', { name: /par quartier prioritaire/ }).count()).resolves.toBe(1);
  await j.done();
});

it('without JavaScript, the sheet shows the map drawn on the server, with its legend', async () => {
  const j = await h.journey({ javaScriptEnabled: false });
  const { page } = j;
  await openGoutteDor(j, false);
  const svg = page.getByRole('img', { name: "Contour du quartier prioritaire Goutte d'Or" });
  await expect(svg.isVisible()).resolves.toBe(true);
  await expect(page.locator('svg.carte-svg [data-code="QP075012"]').getAttribute('fill')).resolves.toBe('url(#carte-quartier-motif-surbrillance)');
  await expect(page.locator('svg.carte-svg desc').textContent()).resolves.toContain("Légende : Arrondissements ; Autres quartiers prioritaires ; Goutte d'Or (ce quartier)");
  await expect(page.locator('.leaflet-container').count()).resolves.toBe(0);

  await page.getByRole('main').getByRole('link', { name: '18e arrondissement' }).click();
  await page.getByRole('heading', { level: 1, name: '18e arrondissement' }).waitFor();
  await expectAccessible(page);
  await expect(page.getByRole('img', { name: 'Carte du 18e arrondissement' }).isVisible()).resolves.toBe(true);
  await j.done();
});
