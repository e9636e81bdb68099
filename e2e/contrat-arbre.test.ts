import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectAccessible, startHarness, type Harness } from './harness.ts';

// The contract's strategy tree in a browser: a visitor goes down from the contract to a levier and
// searches it (without JavaScript: every page is plain HTML); then a direction de projet adds the
// fourth axe the contract announces, by an amendment it adopts, and finds it with its history.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.account('delphine@exemple.fr', 'direction_projet');
});
afterAll(() => h?.close());

const AXE_4 = 'Valeurs de la République et citoyenneté';

it('a visitor goes down the tree from the contract to a levier, without JavaScript', async () => {
  const j = await h.journey({ javaScriptEnabled: false });
  const { page } = j;
  const main = page.getByRole('main');
  const suivre = async (lien: RegExp | string, titre: RegExp | string) => {
    await main.getByRole('link', { name: lien }).first().click();
    await page.getByRole('heading', { level: 1, name: titre }).waitFor();
    await expectAccessible(page);
  };

  expect(await j.visit('/contrat')).toBe(200);
  await page.getByRole('heading', { level: 1, name: 'Contrat de ville parisien 2015-2020' }).waitFor();
  await expect(main.getByRole('table', { name: 'Les éléments de la stratégie, par niveau' }).getByRole('row', { name: /^Axes/ }).textContent()).resolves.toBe('Axes3');

  await suivre('Axe 1 — Accompagner les parcours et prévenir les ruptures', 'Axe 1 — Accompagner les parcours et prévenir les ruptures');
  await suivre(/^Orientation 1\.1 — /, /^Orientation 1\.1 — Construire des trajectoires/);
  await expect(main.getByRole('heading', { level: 2, name: 'Contribution citoyenne' }).count()).resolves.toBe(1);
  await suivre(/^Objectif 1\.1\.1 — /, 'Objectif 1.1.1 — Lutter contre le décrochage scolaire et favoriser la réussite éducative');

  const fil = page.getByRole('navigation', { name: 'Fil d’Ariane' });
  await expect(fil.getByRole('listitem').allTextContents()).resolves.toEqual(['Accueil', 'Le contrat', 'Axe 1', 'Orientation 1.1', 'Objectif 1.1.1']);
  const tableau = main.getByRole('table', { name: /^Priorité 1 — Donner goût aux apprentissages/ });
  await expect(tableau.getByRole('columnheader').allTextContents()).resolves.toEqual(['Objectif opérationnel', 'Actions', 'Leviers d’actions']);
  const levier = tableau.getByRole('link', { name: /^L1 Flécher en totalité les postes/ });
  await levier.click();
  await page.getByRole('heading', { level: 1, name: /^Levier d’action L1 — Flécher en totalité/ }).waitFor();
  await expectAccessible(page);
  await expect(main.textContent()).resolves.toContain('Contrat de ville, l. 1593-1594');
  await expect(fil.getByRole('link', { name: 'Action A1' }).count()).resolves.toBe(1);
  await j.done();
});

it('a visitor searches the contract and reaches an item, without JavaScript', async () => {
  const j = await h.journey({ javaScriptEnabled: false });
  const { page } = j;
  const main = page.getByRole('main');
  await j.visit('/contrat/arbre/1.1.1/P1/OO1/A1/L1');
  await page.getByRole('navigation', { name: 'Fil d’Ariane' }).getByRole('link', { name: 'Le contrat' }).click();
  await page.getByRole('heading', { level: 1, name: 'Contrat de ville parisien 2015-2020' }).waitFor();
  await expectAccessible(page);
  await main.getByRole('searchbox', { name: 'Rechercher dans le contrat' }).fill('décrochage');
  await main.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByRole('heading', { level: 2, name: /résultats pour « décrochage »/ }).waitFor();
  await expectAccessible(page);
  const resultat = main.getByRole('link', { name: /^Objectif 1\.1\.1 — Lutter contre le décrochage/ });
  await expect(resultat.locator('mark').textContent()).resolves.toBe('décrochage');
  await resultat.click();
  await page.getByRole('heading', { level: 1, name: 'Objectif 1.1.1 — Lutter contre le décrochage scolaire et favoriser la réussite éducative' }).waitFor();
  await expectAccessible(page);
  await j.done();
});

it('a direction de projet adds the announced fourth axe by an amendment, adopts it, and finds it with its history', async () => {
  const j = await h.journey();
  const { page } = j;
  const main = page.getByRole('main');
  await j.signIn('delphine@exemple.fr');

  await j.visit('/contrat/avenants');
  await main.getByLabel('Titre').fill('Quatrième axe');
  await main.getByLabel('Objet').fill(`Ajout de l’axe « ${AXE_4} » annoncé par le contrat`);
  await main.getByRole('button', { name: 'Créer l’avenant' }).click();
  await page.getByRole('heading', { level: 1, name: 'Avenant n° 1 — Quatrième axe' }).waitFor();
  await expectAccessible(page);

  // The level is forgotten first: the error summary says so, and what was typed stays.
  await main.getByLabel('Libellé', { exact: true }).fill(AXE_4);
  await main.getByRole('button', { name: 'Ajouter l’élément' }).click();
  await page.getByRole('alert').filter({ hasText: 'Niveau : Choisissez le niveau de l’élément à ajouter.' }).waitFor();
  await expectAccessible(page);
  await expect(main.getByLabel('Libellé', { exact: true }).inputValue()).resolves.toBe(AXE_4);
  await main.getByLabel('Niveau').selectOption({ label: 'Axe' });
  await main.getByRole('button', { name: 'Ajouter l’élément' }).click();
  await page.getByRole('status').filter({ hasText: 'Changement ajouté à l’avenant.' }).waitFor();
  await expectAccessible(page);
  await expect(main.getByRole('table', { name: /Les changements de l’avenant/ }).getByRole('row').nth(1).textContent()).resolves.toBe(`1Ajout4—${AXE_4}`);

  await main.getByLabel('Date d’adoption').fill('2016-03-01');
  await main.getByRole('button', { name: 'Adopter l’avenant' }).click();
  await page.getByRole('status').filter({ hasText: 'Avenant n° 1 adopté' }).waitFor();
  await expectAccessible(page);
  await expect(main.textContent()).resolves.toContain('Adopté le 1er mars 2016');
  await expect(main.getByRole('button', { name: 'Ajouter l’élément' }).count()).resolves.toBe(0);

  await j.visit('/contrat');
  await main.getByRole('link', { name: `Axe 4 — ${AXE_4}` }).click();
  await page.getByRole('heading', { level: 1, name: `Axe 4 — ${AXE_4}` }).waitFor();
  await expectAccessible(page);
  const historique = main.getByRole('table', { name: 'Les changements apportés par avenant' });
  await expect(historique.getByRole('row').nth(1).textContent()).resolves.toBe(`Avenant n° 1adopté le 1er mars 2016Ajout—${AXE_4}`);
  await j.done();
});
