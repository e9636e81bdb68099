import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectAccessible, startHarness, TEST_PASSWORD, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.account('ada@exemple.fr', 'admin');
  await h.account('diane@exemple.fr', 'direction_projet');
});
afterAll(() => h?.close());

it('an anonymous visitor of an admin page is asked to sign in, then taken back to that page', async () => {
  const j = await h.journey();
  const { page } = j;
  await j.visit('/admin/comptes');
  const url = new URL(page.url());
  expect(url.pathname).toBe('/connexion');
  expect(url.searchParams.get('retour')).toBe('/admin/comptes');
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Se connecter à Pilotis');

  await page.getByLabel('Adresse électronique', { exact: true }).fill('ada@exemple.fr');
  await page.getByLabel('Mot de passe', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { level: 1, name: 'Comptes et rôles' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/admin/comptes');
  await expectAccessible(page);
  await j.done();
});

it('a signed-in person without the admin role gets the French "access denied" page', async () => {
  const j = await h.journey();
  await j.signIn('diane@exemple.fr');
  await expect(j.visit('/admin/comptes')).resolves.toBe(403);
  await expect(j.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Accès refusé');
  await expect(j.page.getByRole('main').textContent()).resolves.toContain("Vous n'avez pas les droits nécessaires pour accéder à cette page.");
  // The menu does not offer what the person may not open.
  await expect(j.page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Comptes et rôles' }).count()).resolves.toBe(0);
  await j.done();
});

it('an unknown address gives the French "page not found" page', async () => {
  const j = await h.journey();
  await expect(j.visit('/cette-page-n-existe-pas')).resolves.toBe(404);
  await expect(j.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Page introuvable');
  await j.page.getByRole('main').getByRole('link', { name: "Revenir à l'accueil" }).click();
  await j.page.getByRole('heading', { level: 1, name: 'Bienvenue sur Pilotis' }).waitFor();
  await expectAccessible(j.page);
  await j.done();
});
