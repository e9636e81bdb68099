import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listTerritoires } from '../src/territoires/store.ts';
import { creerAssociation, creerCampagneComite, creerDossiers } from '../test/comite-campagne.ts';
import { expectAccessible, startHarness, type Harness } from './harness.ts';

// The programming committee: the direction narrows the table down, selects two proposed files, accepts
// them with the amounts it grants, and sees the envelope totals take them in.

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  const db = h.testApp.database.db;
  const contratId = h.testApp.contrat.id;
  const qpv = (await listTerritoires(db, contratId, { type: 'qpv', geographie: '2015' })).slice(0, 2);
  const c = await creerCampagneComite(db, contratId, {
    annee: 2019,
    territoireIds: qpv.map((q) => q.id),
    thematiques: ['Éducation', 'Emploi'],
    financeurs: [
      { code: 'etat', nom: 'État (programme 147)', enveloppe: 20_000_00 },
      { code: 'ville', nom: 'Ville de Paris', enveloppe: 10_000_00 },
    ],
  });
  const a = await creerAssociation(db, contratId, 'Les Ateliers du Nord');
  const b = await creerAssociation(db, contratId, 'Élan Solidaire', { fictive: true });
  await creerDossiers(db, c, [
    { organisationId: a, titre: 'Réussite éducative', statut: 'propose', territoireIds: [qpv[0]!.id], noeudRefs: ['1.1.1/P1'], thematique: 'Éducation', montants: [{ financeur: 'etat', demande: 5_000_00, propose: 4_000_00 }, { financeur: 'ville', demande: 2_000_00, propose: 2_000_00 }] },
    { organisationId: b, titre: 'Soutien scolaire', statut: 'propose', territoireIds: [qpv[0]!.id, qpv[1]!.id], noeudRefs: ['1.1.2'], thematique: 'Éducation', montants: [{ financeur: 'etat', demande: 3_000_00, propose: 3_000_00 }] },
    { organisationId: b, titre: 'Chantier d’insertion', statut: 'propose', territoireIds: [qpv[1]!.id], noeudRefs: ['1.2.1'], thematique: 'Emploi', montants: [{ financeur: 'etat', demande: 9_000_00, propose: 8_000_00 }] },
  ]);
  await h.account('direction@exemple.fr', 'direction_projet');
});
afterAll(() => h?.close());

async function text(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/gu, ' ').trim();
}

it('the direction filters the committee table, accepts two proposed files with their amounts and sees the totals change', async () => {
  const j = await h.journey();
  const { page } = j;
  await j.signIn('direction@exemple.fr');
  expect(await j.visit('/appels-a-projets/2019/programmation')).toBe(200);
  await page.getByRole('heading', { level: 1, name: 'Comité de programmation 2019' }).waitFor();
  const dossiers = () => page.getByRole('table', { name: /^Dossiers de la campagne 2019/ });
  await expect(dossiers().getByRole('row', { name: /2019-000/ }).count()).resolves.toBe(3);
  const envelopes = () => page.getByRole('table', { name: /^Enveloppes par financeur/ });
  await expect(text(envelopes().getByRole('row', { name: /^État/ }))).resolves.toContain('20 000,00 € 0,00 € 20 000,00 €');

  // Narrow the table to the education files.
  await page.getByLabel('Thématique', { exact: true }).selectOption('Éducation');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForURL(/thematique=/);
  await expectAccessible(page);
  await expect(dossiers().getByRole('row', { name: /2019-000/ }).count()).resolves.toBe(2);

  // Select both, grant a little less than proposed to the first.
  await page.getByLabel('Sélectionner le dossier 2019-0001').check();
  await page.getByLabel('Sélectionner le dossier 2019-0002').check();
  const etat1 = page.getByLabel('Montant accordé par État (programme 147) au dossier 2019-0001, en euros');
  await expect(etat1.inputValue()).resolves.toBe('4000');
  await etat1.fill('3 500');
  await page.getByRole('button', { name: 'Accepter la sélection' }).click();
  await page.getByText('2 dossiers acceptés.').waitFor();
  await expectAccessible(page);

  // The filters are kept; no education file awaits the committee any more; the envelopes take the grants in.
  expect(new URL(page.url()).searchParams.get('thematique')).toBe('Éducation');
  await expect(page.getByText('0 dossier correspondant aux filtres.').isVisible()).resolves.toBe(true);
  await expect(text(envelopes().getByRole('row', { name: /^État/ }))).resolves.toContain('20 000,00 € 6 500,00 € 13 500,00 €');
  await expect(text(envelopes().getByRole('row', { name: /^Ville/ }))).resolves.toContain('10 000,00 € 2 000,00 € 8 000,00 €');

  // The accepted files, shown with their granted amounts.
  await page.getByLabel('Proposé au comité', { exact: true }).uncheck();
  await page.getByLabel('Accepté', { exact: true }).check();
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForURL(/statut=accepte/);
  await expectAccessible(page);
  await expect(text(dossiers().getByRole('row', { name: /2019-0001/ }))).resolves.toContain('Accepté');
  await expect(text(dossiers().getByRole('row', { name: /2019-0001/ }))).resolves.toContain('3 500,00 €');
  await j.done();
});
