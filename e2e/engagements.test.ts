import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectAccessible, startHarness, type Harness } from './harness.ts';

// A visitor looks for the commitments whose documents disagree: the list filtered to the disagreements,
// one commitment with both figures and where each is printed, then the item of the contract's tree it
// belongs to. The pages have no script: what is checked here holds without JavaScript too.

let h: Harness;

/** The text of an element with its spaces as a reader sees them. */
async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/gu, ' ');
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

it('a visitor compares the figures of a commitment whose sources disagree, then opens its item of the tree', async () => {
  const j = await h.journey();
  const { page } = j;
  expect(await j.visit('/engagements')).toBe(200);
  await page.getByRole('heading', { level: 1, name: 'Les engagements du contrat' }).waitFor();
  const tous = page.getByRole('table', { name: /engagements affichés$/ }).getByRole('row');
  const avant = await tous.count();

  await page.getByLabel('Seulement les divergences').check();
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForURL(/divergences=oui/);
  await expectAccessible(page);
  const table = page.getByRole('table', { name: /engagements affichés$/ });
  const lignes = await table.getByRole('row').count();
  expect(lignes).toBeGreaterThan(1);
  expect(lignes).toBeLessThan(avant);
  // Every commitment left says its sources disagree.
  await expect(table.locator('tbody tr').filter({ hasNotText: 'Sources divergentes' }).count()).resolves.toBe(0);
  await expect(page.getByLabel('Seulement les divergences').isChecked()).resolves.toBe(true);

  // Sheet 2 of the 2015 bilan: the CUI-CIE, whose target is 13 % on the sheet and 15 % in the contract.
  await table.getByRole('link', { name: /secteur marchand - dispositif Contrat d’Insertion vers l’Emploi/ }).click();
  await page.waitForURL(/\/engagements\/bilan2015-2$/);
  await page.getByRole('heading', { level: 1, name: /contrat unique d’insertion/ }).waitFor();
  await expectAccessible(page);
  const notice = page.getByRole('note').filter({ hasText: 'Les sources divergent' });
  await expect(text(notice)).resolves.toContain('13% selon Bilan 2015 (document 004), l. 2522');
  await expect(text(notice)).resolves.toContain('15% chacun selon Contrat de ville (document 002), l. 2940-2946');
  // Both figures come with the text each source prints.
  const sources = page.getByRole('list').filter({ has: page.getByRole('blockquote') });
  await expect(text(sources)).resolves.toContain('Cible imprimée : 13%');
  await expect(text(sources)).resolves.toContain('Cible imprimée : 15% chacun');
  const suivi = page.getByRole('table', { name: 'Suivi de l’engagement, campagne par campagne' });
  await expect(text(suivi.getByRole('row', { name: /^2015/ }))).resolves.toContain('156,2 %');

  // The lever of the contract's action table the commitment serves.
  await page.getByRole('link', { name: /^Levier d’action 1\.2\.3 · Priorité 1 · OO1 · A1 · L3 — / }).click();
  await page.waitForURL(/\/contrat\/arbre\/1\.2\.3\/P1\/OO1\/A1\/L3$/);
  await page.getByRole('heading', { level: 1, name: /L3/ }).waitFor();
  await expectAccessible(page);
  await j.done();
});
