import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectAccessible, startHarness, type Harness } from './harness.ts';

// The direction de projet records a commitment the steering committee decided: a first try with a
// milestone written the wrong way (nothing typed is lost), then the commitment, its milestone and its item
// of the tree on its page; later it moves the milestone to another date from the commitment's page.

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.account('direction@exemple.fr', 'direction_projet');
});
afterAll(() => h?.close());

async function text(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/gu, ' ').trim();
}

async function heading(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await expectAccessible(page);
}

it('the direction records a commitment with a milestone and an item of the tree, then changes its milestone', async () => {
  const j = await h.journey();
  const { page } = j;
  await j.signIn('direction@exemple.fr');
  expect(await j.visit('/engagements')).toBe(200);

  await page.getByRole('link', { name: 'Enregistrer un engagement' }).click();
  await heading(page, 'Enregistrer un engagement');
  const intitule = 'Ouvrir trois maisons de santé pluriprofessionnelles en QPV';
  await page.getByLabel('Intitulé (obligatoire)').fill(intitule);
  await page.getByLabel('Porteur', { exact: true }).selectOption({ label: 'Agence régionale de santé (ARS)' });
  await page.getByLabel('Indicateur', { exact: true }).fill('Maisons de santé ouvertes en QPV');
  await page.getByLabel('À la hausse : plus c’est haut, mieux c’est').check();
  await page.getByLabel('Nature de la cible (obligatoire)').selectOption({ label: 'Nombre' });
  await page.getByLabel('Cible', { exact: true }).fill('3');
  await page.getByLabel('Éléments de l’arbre du contrat').fill('1.2.3/P1/OO1/A1/L3');
  await page.getByLabel('Jalons', { exact: true }).fill('fin 2018 : 2');
  await page.getByLabel('Source', { exact: true }).fill('Décision du comité de pilotage du 12 mai 2016');
  await page.getByRole('button', { name: 'Enregistrer l’engagement' }).click();

  // The milestone is refused with its line named; everything typed is still there.
  await page.getByRole('alert').filter({ hasText: 'Le formulaire contient une erreur' }).waitFor();
  await expectAccessible(page);
  await expect(text(page.getByRole('alert'))).resolves.toContain('Jalons : Ligne 1 : écrivez la date puis la valeur');
  await expect(page.getByLabel('Intitulé (obligatoire)').inputValue()).resolves.toBe(intitule);
  await expect(page.getByLabel('Éléments de l’arbre du contrat').inputValue()).resolves.toBe('1.2.3/P1/OO1/A1/L3');
  await page.getByLabel('Jalons', { exact: true }).fill('2018-12-31 : 2');
  await page.getByRole('button', { name: 'Enregistrer l’engagement' }).click();

  await page.waitForURL(/\/engagements\/saisie-1$/);
  await heading(page, intitule);
  await page.getByRole('status').filter({ hasText: 'Engagement saisie-1 enregistré.' }).waitFor();
  const jalons = page.getByRole('table', { name: 'Jalons de l’engagement' });
  await expect(text(jalons.getByRole('row').nth(1))).resolves.toBe('31 décembre 2018 2');
  await expect(page.getByRole('link', { name: /^Levier d’action 1\.2\.3 · Priorité 1 · OO1 · A1 · L3 — / }).count()).resolves.toBe(1);
  await expect(text(page.getByRole('main'))).resolves.toContain('par la direction de projet');

  await page.getByRole('link', { name: /^Modifier/ }).click();
  await heading(page, 'Modifier l’engagement saisie-1');
  await expect(page.getByLabel('Jalons', { exact: true }).inputValue()).resolves.toBe('2018-12-31 : 2');
  await page.getByLabel('Jalons', { exact: true }).fill('2019-06-30 : 2');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();

  await page.waitForURL(/\/engagements\/saisie-1$/);
  await heading(page, intitule);
  await page.getByRole('status').filter({ hasText: 'Engagement modifié.' }).waitFor();
  await expect(text(page.getByRole('table', { name: 'Jalons de l’engagement' }).getByRole('row').nth(1))).resolves.toBe('30 juin 2019 2');

  // The new commitment is in the list, under its owner.
  expect(await j.visit('/engagements?texte=maisons')).toBe(200);
  const ligne = page.getByRole('table', { name: /engagements affichés$/ }).getByRole('row').filter({ hasText: 'saisie-1' });
  await expect(text(ligne)).resolves.toBe(`${intitule} saisie-1 Agence régionale de santé (ARS) Nombre Plus c’est haut, mieux c’est 3 1 source`);
  await j.done();
});
