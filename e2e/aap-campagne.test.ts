import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { campagneAap } from '../src/subventions/schema.ts';
import { aujourdhuiParis } from '../src/subventions/acces.ts';
import { expectAccessible, expectFocused, startHarness, type Harness } from './harness.ts';

// The direction de projet opens a call for projects: a first try with the dates the wrong way round
// (the error summary takes the focus, nothing typed is lost), then its priorities, eligible territories,
// two funders with their envelopes and an instruction team; the public page shows them to everybody.

let h: Harness;
let annee: number;

beforeAll(async () => {
  h = await startHarness();
  await h.account('direction@exemple.fr', 'direction_projet');
  // A year that no demonstration campaign of the default contract takes.
  const prises = (await h.testApp.database.db.select().from(campagneAap)).map((c) => c.annee);
  annee = Math.max(Number(aujourdhuiParis().slice(0, 4)), ...prises) + 1;
});
afterAll(() => h?.close());

/** A day relative to today in Paris, AAAA-MM-JJ. */
function jour(decalage: number): string {
  const d = new Date(`${aujourdhuiParis()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + decalage);
  return d.toISOString().slice(0, 10);
}
const dateFr = (iso: string) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
/** The text as a reader sees it, table cells apart, spaces collapsed. */
const text = async (l: Locator) => (await l.innerText()).replace(/\s+/gu, ' ');

it('the direction creates a campaign, configures it, and the public page shows it', async () => {
  const j = await h.journey();
  const { page } = j;
  await j.signIn('direction@exemple.fr');
  await j.visit('/appels-a-projets');
  await page.getByRole('link', { name: 'Nouvel appel à projets' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nouvel appel à projets' }).waitFor();
  await expectAccessible(page);

  const titre = 'Appel à projets de la politique de la ville';
  await page.getByLabel('Année (obligatoire)').fill(String(annee));
  await page.getByLabel('Titre (obligatoire)').fill(titre);
  await page.getByLabel('Ouverture des dépôts (obligatoire)').fill(jour(5));
  await page.getByLabel('Clôture des dépôts (obligatoire)').fill(jour(-5));
  await page.getByLabel('Présentation').fill('Des actions au plus près des habitants.');
  await page.getByRole('button', { name: 'Créer l’appel à projets' }).click();
  const resume = page.getByRole('alert');
  await expectFocused(resume);
  await expect(text(resume)).resolves.toContain('Clôture des dépôts : La clôture des dépôts doit être le jour de l’ouverture ou après.');
  await expectAccessible(page);
  await expect(page.getByLabel('Année (obligatoire)').inputValue()).resolves.toBe(String(annee));
  await expect(page.getByLabel('Titre (obligatoire)').inputValue()).resolves.toBe(titre);
  await expect(page.getByLabel('Ouverture des dépôts (obligatoire)').inputValue()).resolves.toBe(jour(5));
  await expect(page.getByLabel('Présentation').inputValue()).resolves.toBe('Des actions au plus près des habitants.');

  // The summary's link leads to the field; the campaign opens today and closes in a month.
  await resume.getByRole('link').click();
  await expectFocused(page.getByLabel('Clôture des dépôts (obligatoire)'));
  await page.getByLabel('Ouverture des dépôts (obligatoire)').fill(jour(0));
  await page.getByLabel('Clôture des dépôts (obligatoire)').fill(jour(30));
  await page.getByRole('button', { name: 'Créer l’appel à projets' }).click();
  await page.getByRole('heading', { level: 1, name: `Configurer l’appel à projets ${annee}` }).waitFor();
  await expect(text(page.getByRole('status'))).resolves.toContain(`Appel à projets ${annee} créé.`);
  await expectAccessible(page);

  // Priorities, ticked under their axe.
  const priorites = page.getByRole('region', { name: 'Priorités du contrat' });
  await priorites.getByRole('group', { name: 'Axe 1 — Accompagner les parcours et prévenir les ruptures' }).getByLabel('Priorité 2 de l’objectif 1.1.1 : Mobiliser et remobiliser').check();
  await priorites.getByRole('group', { name: 'Axe 2 — Vivre sa ville et son quartier' }).getByLabel('Priorité 1 de l’objectif 2.1.3 : Promouvoir les dispositifs de médiation').check();
  await priorites.getByRole('button', { name: 'Enregistrer les priorités' }).click();
  await page.getByRole('status').filter({ hasText: 'Priorités enregistrées.' }).waitFor();
  await expectAccessible(page);
  await expect(page.getByLabel('Priorité 2 de l’objectif 1.1.1 : Mobiliser et remobiliser').isChecked()).resolves.toBe(true);

  // Eligible territories: two QPV and a quartier de veille active.
  const territoires = page.getByRole('region', { name: 'Territoires éligibles' });
  await territoires.getByLabel("Goutte d'Or (QP075012)").check();
  await territoires.getByLabel('La Chapelle-Evangile (QP075011)').check();
  await territoires.getByRole('group', { name: 'Quartiers de veille active' }).getByLabel('Porte de Vincennes (QVA-75-01)').check();
  await territoires.getByRole('button', { name: 'Enregistrer les territoires' }).click();
  await page.getByRole('status').filter({ hasText: 'Territoires éligibles enregistrés.' }).waitFor();
  await expectAccessible(page);

  // Two funders with their envelopes.
  const financeurs = [
    { code: 'etat-p147', nom: 'État — programme 147', service: 'Préfecture de Paris — DDCS', enveloppe: '1 200 000' },
    { code: 'ville', nom: 'Ville de Paris', service: 'Direction de la démocratie, des citoyen·nes et des territoires', enveloppe: '2 500 000,50' },
  ];
  for (const f of financeurs) {
    const region = page.getByRole('region', { name: 'Financeurs' });
    await region.getByLabel('Code (obligatoire)').fill(f.code);
    await region.getByLabel('Nom du financeur (obligatoire)').fill(f.nom);
    await region.getByLabel('Service instructeur').fill(f.service);
    await region.getByLabel('Enveloppe (en euros) (obligatoire)').fill(f.enveloppe);
    await region.getByRole('button', { name: 'Ajouter le financeur' }).click();
    await page.getByRole('status').filter({ hasText: `Financeur « ${f.nom} » ajouté.` }).waitFor();
    await expectAccessible(page);
  }
  const tableFinanceurs = page.getByRole('table', { name: 'Les financeurs inscrits et leurs enveloppes' });
  await expect(text(tableFinanceurs.getByRole('row', { name: /Total des enveloppes/ }))).resolves.toContain('3 700 000,50 €');

  // An instruction team for one of the eligible quartiers.
  const equipes = page.getByRole('region', { name: 'Équipes d’instruction' });
  await equipes.getByLabel('Nom de l’équipe (obligatoire)').fill('Équipe Goutte d’Or');
  await equipes.getByRole('group', { name: /Territoires de l’équipe/ }).getByLabel("Goutte d'Or (QP075012)").check();
  await equipes.getByLabel('Membres').fill('Jeanne Martin, cheffe de projet\nPaul Durand, délégué du préfet');
  await equipes.getByRole('button', { name: 'Ajouter l’équipe' }).click();
  await page.getByRole('status').filter({ hasText: 'Équipe « Équipe Goutte d’Or » ajoutée.' }).waitFor();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Voir la page publique' }).click();
  await page.getByRole('heading', { level: 1, name: titre }).waitFor();
  await expectAccessible(page);
  await j.done();

  // Anybody, signed in or not, reads the campaign.
  const visiteur = await h.journey();
  const p = visiteur.page;
  await visiteur.visit('/appels-a-projets');
  await p.getByRole('table', { name: /Les appels à projets du contrat/ }).getByRole('link', { name: titre }).click();
  await p.getByRole('heading', { level: 1, name: titre }).waitFor();
  await expectAccessible(p);
  const main = p.getByRole('main');
  await expect(text(main)).resolves.toContain(`Dépôt des demandes du ${dateFr(jour(0))} au ${dateFr(jour(30))} inclus`);
  await expect(text(main)).resolves.toContain('Ouverte aux demandes');
  await main.getByRole('link', { name: 'Priorité 2 de l’objectif 1.1.1 : Mobiliser et remobiliser' }).waitFor();
  await expect(main.getByRole('link', { name: 'Priorité 2 de l’objectif 1.1.1 : Mobiliser et remobiliser' }).getAttribute('href')).resolves.toBe('/contrat/arbre/1.1.1/P2');
  const eligibles = p.getByRole('region', { name: 'Territoires éligibles' });
  for (const nom of ["Goutte d'Or (QP075012)", 'La Chapelle-Evangile (QP075011)', 'Porte de Vincennes (QVA-75-01)']) await expect(text(eligibles)).resolves.toContain(nom);
  const table = p.getByRole('table', { name: 'Financeurs de l’appel à projets et leurs enveloppes' });
  await expect(text(table.getByRole('row', { name: /État — programme 147/ }))).resolves.toContain('Préfecture de Paris — DDCS 1 200 000,00 €');
  await expect(text(table.getByRole('row', { name: /Ville de Paris/ }))).resolves.toContain('2 500 000,50 €');
  const equipesPubliques = p.getByRole('table', { name: 'Les équipes qui instruisent les dossiers, par territoire' });
  await expect(text(equipesPubliques)).resolves.toContain("Équipe Goutte d’Or Goutte d'Or (QP075012) Jeanne Martin, cheffe de projet");
  await expect(p.getByRole('link', { name: 'Inscrire mon association' }).getAttribute('href')).resolves.toBe('/inscription/association');
  await visiteur.done();
});
