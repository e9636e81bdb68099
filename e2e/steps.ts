import { expect } from 'vitest';
import { expectAccessible, expectFocused, TEST_PASSWORD, type Journey } from './harness.ts';

// Steps shared by several journeys (with and without JavaScript).

export type Person = { email: string; name: string; roleLabel: string; roleHeading: string; capability: string };

/**
 * Home page → keyboard to the skip link, then to "Se connecter" → a wrong password (error summary
 * focused, French message, address kept) → the right one → greeted on the home page with what the
 * role can do → another page → "Se déconnecter" → Back does not show the person signed in.
 */
export async function signInAndOut(j: Journey, person: Person): Promise<void> {
  const { page } = j;
  await j.visit('/');
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Bienvenue sur Pilotis');

  // The first Tab stop is the skip link, which takes the keyboard past the header.
  await page.keyboard.press('Tab');
  await expectFocused(page.getByRole('link', { name: 'Aller au contenu' }));
  await page.keyboard.press('Enter');
  // Then the links of the page, in reading order: the geography, the contract, then signing in.
  const main = page.getByRole('main');
  for (const name of ['Les quartiers prioritaires', 'Vérifier une adresse', 'Le contrat de ville', 'Les engagements', 'Le suivi annuel', 'Les appels à projets', 'Se connecter']) {
    await page.keyboard.press('Tab');
    await expectFocused(main.getByRole('link', { name, exact: true }));
  }
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Se connecter à Pilotis' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/connexion');
  await expectAccessible(page);

  const email = page.getByLabel('Adresse électronique', { exact: true });
  const password = page.getByLabel('Mot de passe', { exact: true });
  const submit = page.getByRole('main').getByRole('button', { name: 'Se connecter' });
  await email.fill(person.email);
  await password.fill('pas le bon mot de passe');
  await submit.click();
  const summary = page.getByRole('alert');
  await expectFocused(summary);
  await expect(summary.textContent()).resolves.toContain('Adresse électronique ou mot de passe incorrect.');
  await expect(page.title()).resolves.toBe('Erreur — Se connecter — Pilotis');
  await expectAccessible(page);
  await expect(email.inputValue()).resolves.toBe(person.email);

  await password.fill(TEST_PASSWORD);
  await submit.click();
  await page.getByRole('heading', { level: 1, name: `Bonjour ${person.name}` }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/');
  await expectAccessible(page);
  await expect(page.getByRole('region', { name: person.roleHeading }).textContent()).resolves.toContain(person.capability);
  await expect(page.getByRole('banner').textContent()).resolves.toContain(`${person.name} — ${person.roleLabel}`);

  // A page seen signed in, then signing out from it.
  await page.getByRole('link', { name: 'Accessibilité : partiellement conforme' }).click();
  await page.getByRole('heading', { level: 1, name: 'Déclaration d’accessibilité' }).waitFor();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('status').filter({ hasText: 'Déconnexion effectuée.' }).waitFor();
  await expectAccessible(page);
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Bienvenue sur Pilotis');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Se connecter' }).isVisible()).resolves.toBe(true);

  // Back to the page seen signed in: the browser asks the server again, and nobody is signed in.
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'Déclaration d’accessibilité' }).waitFor();
  await expectAccessible(page);
  await expect(page.getByRole('banner').getByRole('link', { name: 'Se connecter' }).isVisible()).resolves.toBe(true);
  await expect(page.getByRole('button', { name: 'Se déconnecter' }).count()).resolves.toBe(0);
  await expect(page.getByRole('banner').textContent()).resolves.not.toContain(person.name);
}

/** On an account page of the administration: chooses a role and a territory, and submits. */
export async function submitGrant(j: Journey, role: string, territoire: string | null): Promise<void> {
  const form = j.page.getByRole('region', { name: 'Attribuer un rôle' });
  await form.getByLabel('Rôle', { exact: true }).selectOption({ label: role });
  await form
    .getByLabel('Territoire (pour un agent territorial ou un membre de conseil citoyen)', { exact: true })
    .selectOption(territoire === null ? { label: 'Aucun' } : { label: territoire });
  await form.getByRole('button', { name: 'Attribuer le rôle' }).click();
}
