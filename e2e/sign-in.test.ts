import { afterAll, beforeAll, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { signInAndOut } from './steps.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.account('claire@exemple.fr', 'direction_projet');
});
afterAll(() => h?.close());

it('a person signs in with the keyboard, is told what their role can do, and signs out for good', async () => {
  const j = await h.journey();
  await signInAndOut(j, {
    email: 'claire@exemple.fr',
    name: 'claire',
    roleLabel: 'Direction de projet',
    roleHeading: 'En tant que direction de projet',
    capability: 'Ouvrir la campagne annuelle des fiches de suivi',
  });
  await j.done();
});
