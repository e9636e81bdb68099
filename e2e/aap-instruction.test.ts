import { afterAll, beforeAll, expect, it } from 'vitest';
import { creerAssociation, creerCampagne, creerDossier } from '../test/instruction-dossier.ts';
import { expectAccessible, startHarness, type Harness } from './harness.ts';

// An instructor of the 18th arrondissement opens a file submitted in the Goutte d'Or, gives the State's
// opinion and asks the association for a correction; the association reads the request and answers it
// with « Envoyer le complément »; the instructor finds the answer on the file's page.

let h: Harness;
let dossierId: string;
const annee = 2026;

beforeAll(async () => {
  h = await startHarness();
  const { database, contrat, app } = h.testApp;
  const goutteDor = (await app.ctx.services.territoires.lister(contrat.id, 'qpv')).find((q) => q.code === 'QP075012' && q.geographie === '2015')!.id;
  // A submitted file is complete: it serves one of its campaign's priorities.
  const [priorite] = await app.ctx.services.contrat.parNiveaux(contrat.id, ['priorite']);
  const c = await creerCampagne(database.db, contrat.id, annee, [goutteDor], [priorite!.ref]);
  const asso = await creerAssociation(database.db, contrat.id, 'Lire à la Goutte');
  dossierId = await creerDossier(database.db, contrat.id, c, { organisationId: asso, titre: 'Ateliers de lecture', territoireIds: [goutteDor], noeudRefs: [priorite!.ref] });
  await h.account('agent18@exemple.fr', 'agent_territorial', { kind: 'territoire', ref: await h.territoireId('75118') });
  await h.account('asso@exemple.fr', 'association', { kind: 'organisation', ref: asso });
});
afterAll(() => h?.close());

const texte = async (p: Promise<string | null>) => ((await p) ?? '').replace(/\s+/gu, ' ');

it('an instructor asks for a correction, the association answers it, the instructor reads the answer', async () => {
  const instructeur = await h.journey();
  const page = instructeur.page;
  await instructeur.signIn('agent18@exemple.fr');
  await instructeur.visit(`/appels-a-projets/${annee}/dossiers`);
  await page.getByRole('heading', { level: 1, name: `Dossiers à instruire — Appel à projets politique de la ville ${annee}` }).waitFor();
  await page.getByRole('table', { name: /Dossiers à instruire/ }).getByRole('link', { name: /^2026-/ }).click();
  await page.getByRole('heading', { level: 1, name: /Ateliers de lecture/ }).waitFor();
  expect(new URL(page.url()).pathname).toBe(`/dossiers/${dossierId}`);
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Commencer l’instruction' }).click();
  await page.getByRole('status').filter({ hasText: 'le dossier est maintenant « En instruction »' }).waitFor();
  await expectAccessible(page);

  const etat = page.getByRole('region', { name: 'État (programme 147)' });
  await etat.getByRole('radio', { name: 'Favorable', exact: true }).check();
  await etat.getByLabel('Montant proposé, en euros (facultatif)').fill('4 500');
  await etat.getByLabel('Commentaire (facultatif)').fill('Projet solide, à soutenir.');
  await etat.getByRole('button', { name: 'Enregistrer l’avis pour État (programme 147)' }).click();
  await page.getByRole('status').filter({ hasText: 'Avis enregistré pour État (programme 147).' }).waitFor();
  await expectAccessible(page);
  await expect(texte(page.getByRole('region', { name: 'État (programme 147)' }).innerText())).resolves.toContain('Avis Favorable Montant proposé 4 500,00 €');

  const demande = 'Joignez le devis des livres et précisez le nombre de séances.';
  // Sent empty first: the error is announced, linked to the field, and nothing moves.
  await page.getByRole('button', { name: 'Demander un complément' }).click();
  await page.getByRole('alert').filter({ hasText: 'Écrivez à l’association ce qu’elle doit compléter ou corriger.' }).waitFor();
  await expectAccessible(page);
  await page.getByLabel('Message à l’association').fill(demande);
  await page.getByRole('button', { name: 'Demander un complément' }).click();
  await page.getByRole('status').filter({ hasText: 'le dossier est maintenant « Complément demandé »' }).waitFor();
  await expectAccessible(page);

  const association = await h.journey();
  const p2 = association.page;
  await association.signIn('asso@exemple.fr');
  await association.visit(`/dossiers/${dossierId}`);
  const notice = p2.getByRole('region', { name: 'L’équipe d’instruction vous demande un complément' });
  await expect(texte(notice.innerText())).resolves.toContain(demande);
  await expect(notice.getByRole('link', { name: 'Modifier la demande' }).getAttribute('href')).resolves.toBe(`/dossiers/${dossierId}/modifier`);
  // Nothing private reaches the association.
  const contenu = await texte(p2.getByRole('main').innerText());
  for (const prive of ['Avis par financeur', 'Annotations privées', 'Projet solide', '4 500,00']) expect(contenu).not.toContain(prive);
  const reponse = 'Devis joint ; 30 séances de septembre à juin.';
  await notice.getByLabel('Votre réponse').fill(reponse);
  await notice.getByRole('button', { name: 'Envoyer le complément' }).click();
  await p2.getByRole('status').filter({ hasText: 'le dossier est maintenant « En instruction »' }).waitFor();
  await expectAccessible(p2);
  await association.done();

  await instructeur.visit(`/dossiers/${dossierId}`);
  const echanges = await texte(page.getByRole('region', { name: 'Échanges' }).innerText());
  expect(echanges).toContain(demande);
  expect(echanges).toContain(`Association — asso@exemple.fr`);
  expect(echanges).toContain(reponse);
  await expect(texte(page.getByRole('main').innerText())).resolves.toContain('Statut En instruction');
  await instructeur.done();
});
