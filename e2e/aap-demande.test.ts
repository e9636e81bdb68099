import { eq } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { titreNoeud } from '../src/contrat/model.ts';
import { organisation } from '../src/contrat/schema.ts';
import { aujourdhuiParis } from '../src/subventions/acces.ts';
import { campagneAap, documentStructure, dossier, financeurAap, structure } from '../src/subventions/schema.ts';
import { expectAccessible, expectFocused, startHarness, type Harness } from './harness.ts';

// An association fills its request for the open campaign: the project, its public, its quartier, the
// contract's objective it serves and a budget that does not balance. The submission is refused with the
// gap shown and nothing lost; once the budget is fixed, the request is submitted.

let h: Harness;
/** A year no real campaign uses, so that the demonstration campaigns of the default never collide. */
const ANNEE = 2099;
let qpv: { nom: string; code: string };
let priorite: string;

const decale = (jours: number) => {
  const d = new Date(`${aujourdhuiParis()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + jours);
  return d.toISOString().slice(0, 10);
};

beforeAll(async () => {
  h = await startHarness();
  const { db } = h.testApp.database;
  const contratId = h.testApp.contrat.id;
  const services = h.testApp.app.ctx.services;
  const q = (await services.territoires.lister(contratId, 'qpv')).find((t) => t.geographie === '2015')!;
  qpv = q;
  const p = (await services.contrat.parNiveaux(contratId, ['priorite']))[0]!;
  priorite = titreNoeud(p);
  const [c] = await db
    .insert(campagneAap)
    .values({ contratId, annee: ANNEE, titre: `Appel à projets ${ANNEE}`, ouverture: decale(-5), cloture: decale(20), prioriteRefs: [p.ref], territoireIds: [q.id], thematiques: ['Numérique', 'Emploi'] })
    .returning();
  await db.insert(financeurAap).values([
    { contratId, campagneId: c!.id, code: 'etat-147', nom: 'État (programme 147)', ordre: 1 },
    { contratId, campagneId: c!.id, code: 'ville', nom: 'Ville de Paris', ordre: 2 },
  ]);
  const [o] = await db.insert(organisation).values({ contratId, nom: 'Les Ateliers du numérique (test)', type: 'association' }).returning();
  await db.insert(structure).values({ contratId, organisationId: o!.id, siret: '73282932000074', adresse: '1 rue Polonceau, 75018 Paris' });
  for (const type of ['statuts', 'rib', 'comptes', 'rapport_activite']) {
    await db.insert(documentStructure).values({ contratId, organisationId: o!.id, type, nomFichier: `${type}.pdf`, typeMime: 'application/pdf', taille: 4, sha256: 'x', contenu: Buffer.from('%PDF'), valideDu: '2020-01-01', deposePar: 'test' });
  }
  await h.account('ateliers@exemple.fr', 'association', { kind: 'organisation', ref: o!.id });
});
afterAll(() => h?.close());

async function text(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/gu, ' ').trim();
}
const champ = (page: Page, label: string) => page.getByLabel(label, { exact: true });

it('an association fills its request, is told its budget does not balance, fixes it and submits', async () => {
  const j = await h.journey();
  const { page } = j;
  await j.signIn('ateliers@exemple.fr');
  expect(await j.visit('/mes-dossiers')).toBe(200);
  await page.getByRole('heading', { level: 1, name: 'Mes dossiers' }).waitFor();

  const appel = page.getByRole('region', { name: new RegExp(`^Appel à projets ${ANNEE} — ouvert`) });
  await appel.getByLabel('Titre du projet', { exact: true }).fill('Ateliers numériques du samedi');
  await appel.getByRole('button', { name: 'Nouvelle demande' }).click();
  await page.waitForURL(/\/dossiers\/[0-9a-f-]{36}\/modifier$/);
  await page.getByRole('heading', { level: 1, name: new RegExp(`^Demande de subvention ${ANNEE}-0001$`) }).waitFor();
  await expectAccessible(page);
  const manques = page.getByRole('region', { name: 'Ce qui manque pour déposer' });
  await expect(text(manques)).resolves.toContain('Décrivez les objectifs du projet.');
  await expect(manques.getByRole('link', { name: 'Cochez au moins un quartier prioritaire de l’appel où le projet agit.' }).getAttribute('href')).resolves.toBe('#section-quartiers');

  await champ(page, 'Objectifs du projet').fill('Rendre les jeunes autonomes dans leurs démarches en ligne');
  await champ(page, 'Description du projet').fill('Deux ateliers par semaine au centre social');
  await champ(page, 'Date de début').fill(`${ANNEE}-01-05`);
  await champ(page, 'Date de fin').fill(`${ANNEE}-12-15`);
  await champ(page, 'Lieux de réalisation').fill('Centre social Polonceau');
  await champ(page, 'Nombre de personnes').fill('120');
  await champ(page, 'Tranches d’âge').fill('16-25 ans');
  await champ(page, 'Nombre de femmes').fill('60');
  await champ(page, 'Nombre d’hommes').fill('60');
  await champ(page, 'Part habitant en quartier prioritaire (%)').fill('80');
  await champ(page, 'Description du public').fill('Jeunes du quartier sans équipement');
  await page.getByLabel(`${qpv.nom} (${qpv.code})`).check();
  await page.getByLabel(priorite, { exact: true }).check();
  await champ(page, 'Thématique du projet').selectOption('Numérique');
  await champ(page, '60 — Achats').fill('3 000');
  await champ(page, '64 — Charges de personnel').fill('8 000,50');
  await champ(page, 'Montant demandé à État (programme 147)').fill('4 000');
  await champ(page, 'Montant demandé à Ville de Paris').fill('5 000');
  await champ(page, 'Autre cofinanceur 1 : nom').fill('Fondation de France');
  await champ(page, 'Autre cofinanceur 1 : montant demandé').fill('1 000');
  await page.getByRole('button', { name: 'Déposer la demande' }).click();

  // Refused: the summary takes focus and gives the gap; everything typed is still there.
  const alerte = page.getByRole('alert');
  await alerte.filter({ hasText: 'La demande n’a pas été déposée' }).waitFor();
  await expectFocused(alerte);
  await expectAccessible(page);
  await expect(text(alerte)).resolves.toContain('Le budget n’est pas équilibré : les charges font 11 000,50 €, les produits 10 000,00 € (écart de 1 000,50 €).');
  await expect(champ(page, '64 — Charges de personnel').inputValue()).resolves.toBe('8 000,50');
  await expect(champ(page, 'Autre cofinanceur 1 : nom').inputValue()).resolves.toBe('Fondation de France');
  await expect(champ(page, 'Description du public').inputValue()).resolves.toBe('Jeunes du quartier sans équipement');
  await expect(page.getByLabel(`${qpv.nom} (${qpv.code})`).isChecked()).resolves.toBe(true);
  const totaux = page.getByRole('table', { name: /Totaux du budget prévisionnel/ });
  await expect(text(totaux.getByRole('row', { name: /Écart/ }))).resolves.toContain('1 000,50 €');

  await champ(page, '64 — Charges de personnel').fill('7 000');
  await page.getByRole('button', { name: 'Déposer la demande' }).click();
  await page.waitForURL(/\/dossiers\/[0-9a-f-]{36}$/);
  await page.getByRole('status').filter({ hasText: `Votre demande ${ANNEE}-0001 est déposée.` }).waitFor();
  await expectAccessible(page);
  const id = new URL(page.url()).pathname.split('/').at(-1)!;
  const [d] = await h.testApp.database.db.select().from(dossier).where(eq(dossier.id, id));
  expect(d).toMatchObject({ statut: 'depose', titre: 'Ateliers numériques du samedi' });

  expect(await j.visit('/mes-dossiers')).toBe(200);
  const ligne = page.getByRole('table', { name: /Les demandes de subvention de votre association/ }).getByRole('row', { name: new RegExp(`${ANNEE}-0001`) });
  await expect(text(ligne)).resolves.toMatch(/Ateliers numériques du samedi 2099 Déposé 9 000,00 €/);
  await expect(ligne.getByRole('link', { name: /Modifier/ }).count()).resolves.toBe(0);
  await j.done();
});
