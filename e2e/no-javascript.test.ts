import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectAccessible, startHarness, type Harness } from './harness.ts';
import { signInAndOut, submitGrant } from './steps.ts';

// The same journeys in a browser that runs no script at all: every page is plain HTML and forms.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.account('nora@exemple.fr', 'agent_territorial', { kind: 'territoire', ref: await h.territoireId('75118') });
  await h.account('alice@exemple.fr', 'admin');
  await h.account('bastien@exemple.fr', null);
});
afterAll(() => h?.close());

it('signs in, is greeted with what the role can do, and signs out, without JavaScript', async () => {
  const j = await h.journey({ javaScriptEnabled: false });
  await signInAndOut(j, {
    email: 'nora@exemple.fr',
    name: 'nora',
    roleLabel: 'Agent territorial',
    roleHeading: 'En tant qu’agent territorial',
    capability: 'Instruire les dossiers',
  });
  await j.done();
});

it('an admin grants a role without JavaScript', async () => {
  const j = await h.journey({ javaScriptEnabled: false });
  const { page } = j;
  await j.signIn('alice@exemple.fr');
  await j.visit('/admin/comptes');
  await page.getByRole('link', { name: 'bastien' }).click();
  await page.getByRole('heading', { level: 1, name: 'bastien' }).waitFor();
  await expectAccessible(page);

  await submitGrant(j, 'Membre de conseil citoyen', '18e arrondissement (75118)');
  await page.getByRole('status').filter({ hasText: 'Rôle attribué.' }).waitFor();
  await expectAccessible(page);
  await expect(page.getByRole('region', { name: 'Rôles' }).getByRole('listitem').allTextContents()).resolves.toEqual([
    expect.stringContaining('Membre de conseil citoyen — 18e arrondissement (75118)'),
  ]);
  await j.done();
});
