import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectAccessible, expectFocused, startHarness, type Harness } from './harness.ts';
import { submitGrant } from './steps.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.account('alice@exemple.fr', 'admin');
});
afterAll(() => h?.close());

it('an admin creates an account, gives it a territorial role, finds the grant in the audit journal, and is stopped on an invalid grant', async () => {
  const j = await h.journey();
  const { page } = j;
  await j.signIn('alice@exemple.fr');
  const menu = page.getByRole('navigation', { name: 'Menu principal' });

  await menu.getByRole('link', { name: 'Comptes et rôles' }).click();
  await page.getByRole('heading', { level: 1, name: 'Comptes et rôles' }).waitFor();
  await expectAccessible(page);
  await expect(menu.getByRole('link', { name: 'Comptes et rôles' }).getAttribute('aria-current')).resolves.toBe('page');

  await page.getByRole('link', { name: 'Créer un compte' }).click();
  await page.getByRole('heading', { level: 1, name: 'Créer un compte' }).waitFor();
  await expectAccessible(page);
  await page.getByLabel('Nom', { exact: true }).fill('Karim Benali');
  await page.getByLabel('Adresse électronique', { exact: true }).fill('karim@exemple.fr');
  await page.getByLabel('Mot de passe initial', { exact: true }).fill('un mot de passe initial solide');
  await page.getByRole('button', { name: 'Créer le compte' }).click();
  await page.getByRole('heading', { level: 1, name: 'Karim Benali' }).waitFor();
  await expectAccessible(page);
  await expect(page.getByRole('status').textContent()).resolves.toBe('Compte créé.');
  const roles = page.getByRole('region', { name: 'Rôles' });
  await expect(roles.textContent()).resolves.toContain("Ce compte n'a aucun rôle dans ce contrat.");

  await submitGrant(j, 'Agent territorial', '18e arrondissement (75118)');
  await page.getByRole('status').filter({ hasText: 'Rôle attribué.' }).waitFor();
  await expectAccessible(page);
  await expect(roles.getByRole('listitem').allTextContents()).resolves.toEqual([
    expect.stringContaining('Agent territorial — 18e arrondissement (75118)'),
  ]);

  await menu.getByRole('link', { name: "Journal d'audit" }).click();
  await page.getByRole('heading', { level: 1, name: "Journal d'audit" }).waitFor();
  await expectAccessible(page);
  const grantRow = page
    .getByRole('table', { name: "Journal d'audit" })
    .getByRole('row')
    .filter({ hasText: 'Attribution de rôle' })
    .filter({ hasText: 'karim@exemple.fr' });
  await expect(grantRow.count()).resolves.toBe(1);
  const cells = await grantRow.getByRole('cell').allTextContents();
  expect(cells[1]).toBe('alice@exemple.fr');
  expect(cells[3]).toBe('Compte : karim@exemple.fr');
  expect(cells[4]).toContain('18e arrondissement (75118)');

  // A territorial role without a territory is refused, with the error summary first.
  await menu.getByRole('link', { name: 'Comptes et rôles' }).click();
  await page.getByRole('heading', { level: 1, name: 'Comptes et rôles' }).waitFor();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Karim Benali' }).click();
  await page.getByRole('heading', { level: 1, name: 'Karim Benali' }).waitFor();
  await expectAccessible(page);
  await submitGrant(j, 'Agent territorial', null);
  const summary = page.getByRole('alert');
  await expectFocused(summary);
  await expectAccessible(page);
  await expect(summary.textContent()).resolves.toContain(
    "Territoire (pour un agent territorial ou un membre de conseil citoyen) : Choisissez un territoire : le rôle « Agent territorial » s'exerce sur un territoire.",
  );
  // The choice made is kept, and nothing was granted.
  await expect(page.getByLabel('Rôle', { exact: true }).inputValue()).resolves.toBe('agent_territorial');
  await expect(roles.getByRole('listitem').count()).resolves.toBe(1);

  // The summary's link takes the keyboard to the field to correct.
  await summary.getByRole('link').click();
  await expectFocused(page.getByLabel('Territoire (pour un agent territorial ou un membre de conseil citoyen)', { exact: true }));
  await j.done();
});
