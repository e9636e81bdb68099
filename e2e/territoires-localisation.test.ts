import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { adresseDeTest, chargerAdresses, chargerContours } from '../test/geo-load.ts';
import { expectAccessible, startHarness, type Harness, type Journey } from './harness.ts';

// "Is this address in a quartier prioritaire?": a resident checks addresses one by one (in a QPV,
// outside, near an edge, unknown), then an association checks its file of beneficiaries, without
// JavaScript, and reads the summary.

let h: Harness;

async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/gu, ' ').trim();
}

beforeAll(async () => {
  h = await startHarness();
  const t = h.testApp;
  await chargerContours(t.database.db, t.contrat.id);
  await chargerAdresses(t.database.db, t.contrat.id, adresseDeTest);
});
afterAll(() => h?.close());

async function chercher(j: Journey, adresse: string): Promise<Locator> {
  const { page } = j;
  await page.getByLabel('Adresse', { exact: true }).fill(adresse);
  await page.getByRole('button', { name: 'Vérifier l’adresse' }).click();
  const answer = page.getByRole('region', { name: /^(Oui|Non|Incertain|Adresse introuvable)/ });
  await answer.waitFor();
  await expectAccessible(page);
  return answer;
}

it('a resident checks addresses: in a QPV, outside, near an edge, unknown', async () => {
  const j = await h.journey();
  const { page } = j;
  expect(await j.visit('/quartiers/adresse')).toBe(200);
  await page.getByRole('heading', { level: 1, name: 'Cette adresse est-elle en quartier prioritaire ?' }).waitFor();
  await expect(text(page.locator('#aide-adresse'))).resolves.toContain('12 rue de la Chapelle, 75018 Paris');

  const oui = await chercher(j, '6S1 Avenue Joseph Bédier');
  await expect(text(oui.getByRole('heading', { level: 2 }))).resolves.toMatch(/^Oui, cette adresse est dans le quartier prioritaire .+ \(QP075001\)$/);
  await expect(text(oui)).resolves.toContain('Adresse exacte de la Base Adresse Nationale');
  await expect(text(oui)).resolves.toContain('13e arrondissement (75113)');
  // The map and its text alternative.
  await oui.getByRole('img', { name: /^Carte de la position et du quartier prioritaire/ }).waitFor();
  await expect(text(oui.locator('figcaption'))).resolves.toMatch(/La position est à l’intérieur du quartier prioritaire .+, à \d+ m de sa limite\./);
  // What was typed stays in the field.
  await expect(page.getByLabel('Adresse', { exact: true }).inputValue()).resolves.toBe('6S1 Avenue Joseph Bédier');

  const non = await chercher(j, '2 rue des Rosiers 75004 Paris');
  await expect(text(non.getByRole('heading', { level: 2 }))).resolves.toBe('Non, cette adresse n’est dans aucun quartier prioritaire du contrat');

  const incertain = await chercher(j, '3 rue Marcadet 75018');
  await expect(text(incertain.getByRole('heading', { level: 2 }))).resolves.toMatch(/^Incertain : À \d+ m de la limite du quartier .+ \(côté intérieur\) : vérifiez sur la carte\.$/);

  const introuvable = await chercher(j, '1 rue imaginaire des lilas');
  await expect(text(introuvable.getByRole('heading', { level: 2 }))).resolves.toBe('Adresse introuvable');
  await introuvable.getByRole('link', { name: '1 Rue des Lilas, 75019 Paris' }).click();
  await page.getByRole('region', { name: /^(Oui|Non|Incertain)/ }).waitFor();
  await expectAccessible(page);
  await expect(page.getByLabel('Adresse', { exact: true }).inputValue()).resolves.toBe('1 Rue des Lilas, 75019 Paris');
  await j.done();
});

it('an association checks its file of beneficiaries without JavaScript, and reads the summary', async () => {
  const j = await h.journey({ javaScriptEnabled: false });
  const { page } = j;
  expect(await j.visit('/quartiers/adresses/lot')).toBe(200);
  await expect(text(page.getByRole('main'))).resolves.toContain('jamais enregistré dans la base de données ni dans le journal d’audit');

  // Sent without a file: the error first, in French.
  await page.getByRole('button', { name: 'Envoyer le fichier' }).click();
  await page.getByRole('alert').filter({ hasText: 'Choisissez un fichier CSV.' }).waitFor();
  await expectAccessible(page);

  const csv = ['Nom;Adresse', 'Amina;6S1 Avenue Joseph Bédier', 'Bruno;1 rue Émile Blémont 75018', 'Chloé;2 rue des Rosiers 75004', 'Driss;3 rue Marcadet 75018', 'Emma;1 rue imaginaire'].join('\r\n');
  await page.getByLabel('Fichier CSV').setInputFiles({ name: 'beneficiaires.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}`) });
  await page.getByRole('button', { name: 'Envoyer le fichier' }).click();
  await page.getByRole('heading', { level: 1, name: 'Colonnes de l’adresse' }).waitFor();
  await expectAccessible(page);
  await expect(text(page.getByRole('main'))).resolves.toContain('Fichier « beneficiaires.csv » : 5 lignes, 2 colonnes');
  await page.getByLabel('Une colonne contient l’adresse complète').check();
  await page.getByLabel('Colonne de l’adresse').selectOption({ label: 'Adresse (ex. : 6S1 Avenue Joseph Bédier)' });
  await page.getByRole('button', { name: 'Lancer la vérification' }).click();

  await page.getByRole('heading', { level: 1, name: 'Résultat de la vérification' }).waitFor();
  await expectAccessible(page);
  await expect(text(page.locator('.lead'))).resolves.toContain('40 % des adresses sont en quartier prioritaire (2 sur 5).');
  const statuts = page.getByRole('table', { name: 'Résultat par statut' });
  const cells = async (row: RegExp) => (await statuts.getByRole('row', { name: row }).getByRole('cell').allTextContents()).map((c) => c.replace(/\s+/gu, ' '));
  await expect(cells(/^En quartier prioritaire/)).resolves.toEqual(['2', '40 %']);
  await expect(cells(/^Hors quartier prioritaire/)).resolves.toEqual(['1', '20 %']);
  await expect(cells(/^Incertaines/)).resolves.toEqual(['1', '20 %']);
  await expect(cells(/^Introuvables/)).resolves.toEqual(['1', '20 %']);
  const parQpv = page.getByRole('table', { name: 'Adresses par quartier prioritaire' });
  await expect(parQpv.getByRole('row').count()).resolves.toBe(3);
  await page.getByRole('img', { name: 'Nombre d’adresses par quartier prioritaire' }).waitFor();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le fichier avec les quartiers (CSV)' }).click()]);
  expect(download.suggestedFilename()).toBe('beneficiaires-quartiers.csv');
  const content = await readFile((await download.path())!, 'utf8');
  expect(content.split('\r\n')[0]).toBe('\uFEFFNom;Adresse;statut;qpv_code;qpv_nom;arrondissement;iris;correspondance;motif');
  expect(content).toMatch(/\r\nAmina;6S1 Avenue Joseph Bédier;qpv;QP075001;/);

  await page.reload();
  await page.getByRole('status').filter({ hasText: 'les adresses ont été effacées de la mémoire du serveur' }).waitFor();
  await expectAccessible(page);
  await j.done();
});
