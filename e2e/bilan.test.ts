import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectAccessible, startHarness, type Harness } from './harness.ts';

// A visitor reads the published bilan of the 2015 campaign: its key figures, the distribution of the
// rates Pilotis computes (a chart, then the same figures in a table), a flagged measure's sheet, and
// takes the workbook and the committee's PDF away.

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/** The text of an element as a reader sees it laid out, spaces collapsed. */
async function text(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/gu, ' ').trim();
}

it('a visitor opens the 2015 bilan, reads the chart and its table, follows a flagged measure and downloads the workbook and the PDF', async () => {
  const j = await h.journey();
  const { page } = j;
  expect(await j.visit('/suivi/2015/bilan')).toBe(200);
  await page.getByRole('heading', { level: 1, name: 'Bilan 2015 de la mobilisation du droit commun' }).waitFor();
  await expect(text(page.getByRole('main').locator('dl'))).resolves.toContain('Fiches de suivi 61');

  // The chart, named by its title, and right after it the table that gives the same counts.
  const chart = page.getByRole('img', { name: /^Répartition des \d+ mesures selon leur taux de réalisation calculé par Pilotis$/ });
  await expect(chart.isVisible()).resolves.toBe(true);
  const table = page.getByRole('table', { name: 'Répartition des taux de réalisation calculés par Pilotis — tableau' });
  const lignes = table.getByRole('row');
  await expect(lignes.count()).resolves.toBe(1 + 5);
  for (let i = 1; i < 6; i++) {
    const [tranche, n] = await lignes.nth(i).locator('th, td').allTextContents();
    await expect(chart.locator(`[data-barre="${tranche}"] text`).last().textContent()).resolves.toBe(`${n} mesure${Number(n) > 1 ? 's' : ''}`);
  }

  // The workbook, fetched from the link the page gives.
  const xlsx = await page.request.get((await page.getByRole('link', { name: 'Le classeur (XLSX)' }).getAttribute('href'))!);
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect((await xlsx.body()).subarray(0, 2).toString('latin1')).toBe('PK');

  // The PDF, downloaded as a person would, by clicking its link.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Le bilan (PDF)' }).click()]);
  expect(download.suggestedFilename()).toBe('bilan-2015.pdf');
  const pdf = await page.request.get(download.url());
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // A flagged measure leads to its sheet, where the printed rate and the computed one sit side by side.
  const signalees = page.getByRole('table', { name: /mesures signalées$/ });
  await expect(text(signalees.getByRole('row', { name: /Fiche n° 1 / }))).resolves.toContain('Résultat identique à celui d’une autre fiche');
  await signalees.getByRole('link', { name: 'Fiche n° 1', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: /^Fiche n° 1 — / }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/suivi/2015/fiches/1');
  await expectAccessible(page);
  await j.done();
});
