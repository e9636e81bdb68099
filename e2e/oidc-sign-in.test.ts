import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConsoleMessage, Page, Response } from 'playwright-core';
import { createAccount, grantRole } from '../src/platform/auth/store.ts';
import { startOidcStub, STUB_CLIENT_ID, STUB_CLIENT_SECRET, type OidcStub } from '../test/oidc-stub.ts';
import { expectAccessible, startHarness, type Harness, type Journey } from './harness.ts';

// Sign-in with ProConnect in a real browser: the sign-in form posts to Pilotis, which redirects to the
// provider, which redirects back. The browser checks the form's CSP form-action against each redirect,
// so this journey fails if the provider's origin is not allowed there. The stub provider answers
// /authorize with a redirect at once: no page of its own is ever shown.

let h: Harness;
let stub: OidcStub;
const nadia = { sub: 'proconnect-nadia-0001', email: 'Nadia.Haddad@Ville.fr', given_name: 'Nadia', usual_name: 'HADDAD' };

beforeAll(async () => {
  stub = await startOidcStub({ user: nadia });
  h = await startHarness({
    env: { OIDC_ISSUER: stub.issuer, OIDC_CLIENT_ID: STUB_CLIENT_ID, OIDC_CLIENT_SECRET: STUB_CLIENT_SECRET, OIDC_ALLOW_INSECURE: 'true' },
  });
  // As an admin does for a public agent: an address and a name, no password; the first sign-in links the identity.
  const admin = await h.account('alice@exemple.fr', 'admin');
  const by = { id: admin.id, label: admin.email, ip: '127.0.0.1' };
  const db = h.testApp.database.db;
  const agent = await createAccount(db, by, { email: 'nadia.haddad@ville.fr', displayName: 'Nadia Haddad' });
  await grantRole(db, by, {
    accountId: agent.id,
    contratId: h.testApp.contrat.id,
    role: 'agent_territorial',
    scopeKind: 'territoire',
    scopeRef: await h.territoireId('75118'),
  });
});
afterAll(async () => {
  await h?.close();
  await stub?.close();
});

/**
 * From the sign-in page, "S'identifier avec ProConnect": Pilotis's answer at the end of the round trip.
 * A redirect the page's Content Security Policy blocks fails at once, with the browser's own message.
 */
async function throughProConnect(j: Journey): Promise<Response> {
  await j.visit('/connexion');
  let onConsole: ((m: ConsoleMessage) => void) | undefined;
  const blocked = new Promise<never>((_, reject) => {
    onConsole = (m) => {
      if (/Content Security Policy/i.test(m.text())) reject(new Error(`Le navigateur a bloqué le passage par ProConnect : ${m.text()}`));
    };
    j.page.on('console', onConsole);
  });
  try {
    const back = Promise.race([j.page.waitForResponse((r) => new URL(r.url()).pathname === '/connexion/oidc/retour'), blocked]);
    const [response] = await Promise.all([back, j.page.getByRole('main').getByRole('button', { name: "S'identifier avec ProConnect" }).click()]);
    return response;
  } finally {
    j.page.off('console', onConsole!);
  }
}

async function expectSignedOut(page: Page): Promise<void> {
  await expect(page.getByRole('banner').getByRole('link', { name: 'Se connecter' }).isVisible()).resolves.toBe(true);
  await expect(page.getByRole('button', { name: 'Se déconnecter' }).count()).resolves.toBe(0);
}

it('an agent whose account an admin created without a password signs in with ProConnect, lands home with their role, and signs out', async () => {
  stub.setUser(nadia);
  const j = await h.journey();
  const { page } = j;
  const before = stub.authorizations.length;

  const back = await throughProConnect(j);
  expect(back.status()).toBe(302);
  await page.getByRole('heading', { level: 1, name: 'Bonjour Nadia Haddad' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/');
  await expectAccessible(page);
  // The provider was asked to send the browser back to Pilotis's real address.
  expect(stub.authorizations.slice(before).map((q) => q.get('redirect_uri'))).toEqual([`${h.baseUrl}/connexion/oidc/retour`]);

  await expect(page.getByRole('banner').textContent()).resolves.toContain('Nadia Haddad — Agent territorial');
  await expect(page.getByRole('region', { name: 'En tant qu’agent territorial' }).textContent()).resolves.toContain(
    'Instruire les dossiers',
  );

  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mon compte' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor();
  await expectAccessible(page);
  await expect(page.getByRole('region', { name: 'Changer de mot de passe' }).textContent()).resolves.toContain(
    "Vous vous connectez par un fournisseur d'identité (ProConnect) : votre compte Pilotis n'a pas de mot de passe.",
  );

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('status').filter({ hasText: 'Déconnexion effectuée.' }).waitFor();
  await expectAccessible(page);
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Bienvenue sur Pilotis');
  await expectSignedOut(page);
  await j.done();
});

it('a person ProConnect knows but Pilotis does not is told that an administrator must create the account', async () => {
  stub.setUser({ sub: 'proconnect-paul-0002', email: 'paul.martin@prefecture.gouv.fr', given_name: 'Paul', usual_name: 'MARTIN' });
  const j = await h.journey();
  const { page } = j;

  const back = await throughProConnect(j);
  expect(back.status()).toBe(403);
  await page.getByRole('heading', { level: 1, name: 'Aucun compte Pilotis' }).waitFor();
  await expectAccessible(page);
  await expect(page.title()).resolves.toBe('Aucun compte Pilotis — Pilotis');
  const main = page.getByRole('main');
  await expect(main.textContent()).resolves.toContain(
    'ProConnect a bien reconnu votre identité : Paul MARTIN (paul.martin@prefecture.gouv.fr), mais aucun compte Pilotis ne correspond à cette adresse électronique.',
  );
  await expect(main.textContent()).resolves.toContain(
    "Les comptes ne sont pas créés automatiquement : un administrateur ou une administratrice de Pilotis doit d'abord créer le vôtre",
  );
  await expectSignedOut(page);

  await main.getByRole('link', { name: 'Revenir à la page de connexion' }).click();
  await page.getByRole('heading', { level: 1, name: 'Se connecter à Pilotis' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/connexion');
  await expectAccessible(page);
  await j.done();
});

it('when the person refuses at ProConnect, the French page says the sign-in was cancelled', async () => {
  stub.setUser('access_denied');
  const j = await h.journey();
  const { page } = j;

  const back = await throughProConnect(j);
  expect(back.status()).toBe(403);
  await page.getByRole('heading', { level: 1, name: 'Connexion annulée' }).waitFor();
  await expectAccessible(page);
  await expect(page.getByRole('main').textContent()).resolves.toContain(
    "La connexion avec ProConnect a été annulée ou refusée : la connexion à Pilotis n'a pas eu lieu.",
  );
  await expectSignedOut(page);
  await expect(page.getByRole('main').getByRole('link', { name: 'Revenir à la page de connexion' }).getAttribute('href')).resolves.toBe(
    '/connexion',
  );
  await j.done();
});
