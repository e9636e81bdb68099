import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { adresseDeTest, chargerAdresses, chargerContours } from '../test/geo-load.ts';
import { expectAccessible, expectFocused, startHarness, TEST_PASSWORD, type Harness } from './harness.ts';

// An association creates its space once: a wrong SIRET first (clear error, nothing lost), then its
// profile (its address located in a quartier prioritaire) and its first document with a validity date.

let h: Harness;

async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/gu, ' ').trim();
}

beforeAll(async () => {
  h = await startHarness();
  const t = h.testApp;
  await chargerContours(t.database.db, t.contrat.id, ['qpv']);
  await chargerAdresses(t.database.db, t.contrat.id, adresseDeTest);
});
afterAll(() => h?.close());

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

it('an association signs up (a wrong SIRET first), fills its profile and deposits its statutes', async () => {
  const j = await h.journey();
  const { page } = j;
  const annee = new Date().getFullYear();

  expect(await j.visit('/inscription/association')).toBe(200);
  await page.getByRole('heading', { level: 1, name: 'Créer l’espace de votre association' }).waitFor();
  await page.getByLabel('Votre prénom').fill('Awa');
  await page.getByLabel('Votre nom').fill('Diallo');
  await page.getByLabel('Votre adresse électronique').fill('awa@lesamisdelachapelle.fr');
  await page.getByLabel('Mot de passe', { exact: true }).fill(TEST_PASSWORD);
  await page.getByLabel('Confirmation du mot de passe').fill(TEST_PASSWORD);
  await page.getByLabel('Nom de l’association').fill('Les Amis de la Chapelle');
  await page.getByLabel('SIRET du siège').fill('123 456 782 00011');
  await page.getByLabel('Numéro RNA').fill('W751234567');
  await page.getByLabel('Adresse du siège').fill('1 rue Émile Blémont, 75018 Paris');
  await page.getByRole('button', { name: 'Créer l’espace de l’association' }).click();

  const resume = page.getByRole('alert').filter({ hasText: 'Le formulaire contient une erreur' });
  await expectFocused(resume);
  await expect(text(resume)).resolves.toContain('SIRET du siège : Ce SIRET n’existe pas : sa clé de contrôle est fausse.');
  await expectAccessible(page);
  // Nothing typed is lost but the passwords, which are never sent back.
  await expect(page.getByLabel('Nom de l’association').inputValue()).resolves.toBe('Les Amis de la Chapelle');
  await expect(page.getByLabel('Adresse du siège').inputValue()).resolves.toBe('1 rue Émile Blémont, 75018 Paris');
  await expect(page.getByLabel('SIRET du siège').inputValue()).resolves.toBe('123 456 782 00011');
  await expect(page.getByLabel('Mot de passe', { exact: true }).inputValue()).resolves.toBe('');

  await resume.getByRole('link').click();
  await expectFocused(page.getByLabel('SIRET du siège'));
  await page.getByLabel('SIRET du siège').fill('123 456 782 00010');
  await page.getByLabel('Mot de passe', { exact: true }).fill(TEST_PASSWORD);
  await page.getByLabel('Confirmation du mot de passe').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Créer l’espace de l’association' }).click();
  await page.getByRole('heading', { level: 1, name: 'Se connecter à Pilotis' }).waitFor();
  await expect(text(page.getByRole('status'))).resolves.toContain('L’espace de « Les Amis de la Chapelle » est prêt.');
  await expectAccessible(page);

  await page.getByLabel('Adresse électronique', { exact: true }).fill('awa@lesamisdelachapelle.fr');
  await page.getByLabel('Mot de passe', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { level: 1, name: 'Les Amis de la Chapelle' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/structure');
  await expectAccessible(page);
  const situation = page.getByRole('region', { name: 'Situation' });
  await expect(text(situation)).resolves.toMatch(/Oui, l’adresse de l’association est dans le quartier prioritaire .+ \(QP075009\)\./);
  await expect(text(situation)).resolves.toContain('Pièces à déposer avant votre prochaine demande');

  await page.getByLabel('Objet de l’association').fill('Soutien scolaire et sorties culturelles pour les enfants du quartier.');
  await page.getByLabel('Adresse électronique de l’association').fill('contact@lesamisdelachapelle.fr');
  await page.getByLabel('Prénom (représentant légal)').fill('Marc');
  await page.getByLabel('Nom (représentant légal)', { exact: true }).fill('Lefèvre');
  await page.getByLabel('Qualité (fonction) (représentant légal)').fill('Président');
  await page.getByLabel('Prénom (personne chargée du dossier)').fill('Awa');
  await page.getByLabel('Nom (personne chargée du dossier)', { exact: true }).fill('Diallo');
  await page.getByLabel('Adresse du siège').fill('2 rue des Rosiers, 75004 Paris');
  await page.getByRole('button', { name: 'Enregistrer le profil' }).click();
  await expect(text(page.getByRole('status'))).resolves.toContain('Profil enregistré. Non, l’adresse de l’association n’est dans aucun quartier prioritaire du contrat.');
  await expectAccessible(page);
  await expect(page.getByLabel('Nom (représentant légal)', { exact: true }).inputValue()).resolves.toBe('Lefèvre');

  await page.getByRole('link', { name: 'Déposer les pièces' }).click();
  await page.getByRole('heading', { level: 1, name: 'Les pièces de l’association' }).waitFor();
  await expectAccessible(page);
  await page.getByLabel('Type de document').selectOption({ label: 'Statuts en vigueur, datés et signés' });
  await page.getByLabel('Fichier', { exact: true }).setInputFiles({ name: 'statuts.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByLabel('Valable jusqu’au').fill(`${annee + 1}-12-31`);
  await page.getByRole('button', { name: 'Déposer la pièce' }).click();
  await expect(text(page.getByRole('status'))).resolves.toContain('Pièce « statuts.pdf » déposée.');
  await expectAccessible(page);
  const ligne = page.getByRole('table', { name: /Pièces déposées/ }).getByRole('row', { name: /Statuts en vigueur/ });
  await expect(text(ligne)).resolves.toContain(`Valable jusqu’au 31 décembre ${annee + 1}`);
  const manquants = page.locator('.notice-warning');
  await expect(text(manquants)).resolves.not.toContain('Statuts en vigueur');
  await expect(text(manquants)).resolves.toContain('Relevé d’identité bancaire (RIB)');
  await j.done();
});
