import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { describeEachDatabase } from '../db/testing.ts';
import { accountWithRole, startTestApp, type TestApp } from '../../../test/app.ts';
import { TestClient, type Response } from '../../../test/http-client.ts';
import { startOidcStub, STUB_CLIENT_ID, STUB_CLIENT_SECRET, type OidcStub, type StubUser } from '../../../test/oidc-stub.ts';
import { auditLog } from '../audit/schema.ts';
import { SYSTEM } from '../../defaults.ts';
import { findAccountById, updateAccount } from './store.ts';

function oidcEnv(issuer: string): Record<string, string> {
  return {
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: STUB_CLIENT_ID,
    OIDC_CLIENT_SECRET: STUB_CLIENT_SECRET,
    OIDC_ALLOW_INSECURE: 'true',
    PUBLIC_URL: 'http://localhost',
  };
}

/** Leaves Pilotis for the provider: the sign-in page, then its OIDC button. */
async function leave(c: TestClient, retour = '/'): Promise<Response> {
  await c.get(`/connexion?retour=${encodeURIComponent(retour)}`);
  return c.post('/connexion/oidc', { retour });
}

/** At the provider, which redirects straight back: the callback URL it sends the browser to. */
async function atProvider(authorizeUrl: string): Promise<URL> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

/** The whole round trip, as a browser would follow it. */
async function signInThroughProvider(c: TestClient, retour = '/'): Promise<Response> {
  const start = await leave(c, retour);
  expect(start.statusCode).toBe(302);
  const back = await atProvider(start.headers.location as string);
  return c.get(back.pathname + back.search);
}

const marie: StubUser = { sub: 'sub-marie-0001', email: 'Marie.Dupont@Ville.fr', given_name: 'Marie', usual_name: 'DUPONT' };

describeEachDatabase('sign-in with an OpenID Connect provider', (kind) => {
  let t: TestApp;
  let stub: OidcStub;
  beforeAll(async () => {
    stub = await startOidcStub({ user: marie });
    t = await startTestApp(kind, oidcEnv(stub.issuer));
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  it('offers the provider on the sign-in page and sends the browser there with PKCE, state and nonce', async () => {
    const c = new TestClient(t.app);
    const page = await c.get('/connexion');
    expect(page.body).toContain('action="/connexion/oidc"');
    expect(page.body).toContain("S'identifier avec ProConnect");

    const res = await c.post('/connexion/oidc', { retour: '/compte' });
    expect(res.statusCode).toBe(302);
    const target = new URL(res.headers.location as string);
    expect(`${target.origin}${target.pathname}`).toBe(`${stub.issuer}/authorize`);
    const q = target.searchParams;
    expect(q.get('client_id')).toBe(STUB_CLIENT_ID);
    expect(q.get('redirect_uri')).toBe('http://localhost/connexion/oidc/retour');
    expect(q.get('scope')).toBe('openid email given_name usual_name');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toBeTruthy();
    expect(q.get('nonce')).toBeTruthy();

    const cookie = res.cookies.find((k) => k.name === 'pilotis_oidc')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.maxAge).toBe(600);
    expect(cookie.path).toBe('/connexion/oidc');
  });

  it('refuses a form posted without its CSRF token', async () => {
    const c = new TestClient(t.app);
    await c.get('/connexion');
    const res = await c.post('/connexion/oidc', { _csrf: 'faux', retour: '/' });
    expect(res.statusCode).toBe(403);
    expect(res.headers.location).toBeUndefined();
  });

  it('signs in a known address, links the identity, and the next sign-in finds it by subject even after the address changed', async () => {
    const row = await accountWithRole(t, 'marie.dupont@ville.fr', 'direction_projet');
    stub.setUser(marie);
    const c = new TestClient(t.app);
    const res = await signInThroughProvider(c, '/compte');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/compte');
    expect(c.cookies.has('pilotis_session')).toBe(true);
    expect(c.cookies.has('pilotis_oidc')).toBe(false);
    expect((await c.get('/')).body).toContain('Bonjour marie.dupont');

    const linked = await findAccountById(t.database.db, row.id);
    expect(linked?.oidcIssuer).toBe(stub.issuer);
    expect(linked?.oidcSubject).toBe('sub-marie-0001');
    const links = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'liaison-oidc'), eq(auditLog.objectId, row.id)));
    expect(links).toHaveLength(1);
    expect(links[0]!.actorId).toBe(row.id);
    expect(links[0]!.after).toMatchObject({ oidcSubject: 'sub-marie-0001', passwordHash: expect.stringMatching(/^\(masqué [0-9a-f]{6}\)$/) });

    const connexions = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'connexion'), eq(auditLog.objectId, row.id)));
    expect(connexions.map((e) => e.objectLabel)).toEqual(['oidc']);
    expect(connexions[0]!.actorLabel).toBe('marie.dupont@ville.fr');

    // At the provider, Marie now has another address; the subject still finds her account.
    stub.setUser({ ...marie, email: 'm.dupont@nouvelle-adresse.fr' });
    const again = new TestClient(t.app);
    const second = await signInThroughProvider(again);
    expect(second.statusCode).toBe(302);
    expect(second.headers.location).toBe('/');
    expect((await again.get('/')).body).toContain('Bonjour marie.dupont');
    const stillOne = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'liaison-oidc'), eq(auditLog.objectId, row.id)));
    expect(stillOne).toHaveLength(1);
  });

  it('refuses an unknown address with a French page and opens no session', async () => {
    stub.setUser({ sub: 'sub-inconnu', email: 'personne@ailleurs.fr', given_name: 'Paul', usual_name: 'MARTIN' });
    const c = new TestClient(t.app);
    const res = await signInThroughProvider(c);
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('<h1>Aucun compte Pilotis</h1>');
    expect(res.body).toContain('Paul MARTIN (personne@ailleurs.fr)');
    expect(res.body).toContain('Les comptes ne sont pas créés automatiquement');
    expect(res.body).toContain('href="/connexion"');
    expect(c.cookies.has('pilotis_session')).toBe(false);
    expect((await c.get('/')).body).toContain('Se connecter');
  });

  it('refuses a deactivated account', async () => {
    const row = await accountWithRole(t, 'jean.inactif@ville.fr', 'direction_projet');
    await updateAccount(t.database.db, SYSTEM, row.id, { active: false });
    stub.setUser({ sub: 'sub-jean', email: 'jean.inactif@ville.fr' });
    const c = new TestClient(t.app);
    const res = await signInThroughProvider(c);
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('<h1>Compte désactivé</h1>');
    expect(c.cookies.has('pilotis_session')).toBe(false);
    expect((await findAccountById(t.database.db, row.id))?.oidcSubject).toBeNull();
  });

  it('refuses an answer whose state was tampered with', async () => {
    await accountWithRole(t, 'lea@ville.fr', 'direction_projet');
    stub.setUser({ sub: 'sub-lea', email: 'lea@ville.fr' });
    const c = new TestClient(t.app);
    const start = await leave(c);
    const back = await atProvider(start.headers.location as string);
    back.searchParams.set('state', 'un-autre-etat');
    const res = await c.get(back.pathname + back.search);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('ne correspond pas à la demande de connexion');
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    expect(c.cookies.has('pilotis_session')).toBe(false);
  });

  it('refuses a request cookie altered in the browser', async () => {
    stub.setUser({ sub: 'sub-lea', email: 'lea@ville.fr' });
    const c = new TestClient(t.app);
    const start = await leave(c);
    const back = await atProvider(start.headers.location as string);
    const value = c.cookies.get('pilotis_oidc')!;
    c.cookies.set('pilotis_oidc', value.replace('"retour":"/"', '"retour":"//evil.example/"'));
    expect(c.cookies.get('pilotis_oidc')).not.toBe(value);
    const res = await c.get(back.pathname + back.search);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<h1>Demande de connexion expirée</h1>');
    expect(c.cookies.has('pilotis_session')).toBe(false);
  });

  it('refuses an answer that comes back without the cookie of its request (expired, or another browser)', async () => {
    stub.setUser({ sub: 'sub-lea', email: 'lea@ville.fr' });
    const c = new TestClient(t.app);
    const start = await leave(c);
    const back = await atProvider(start.headers.location as string);
    const other = new TestClient(t.app);
    const res = await other.get(back.pathname + back.search);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<h1>Demande de connexion expirée</h1>');
    expect(res.body).toContain('href="/connexion"');
    expect(other.cookies.has('pilotis_session')).toBe(false);

    // A code is good for one answer only: replaying the callback after success signs no one in.
    const first = await c.get(back.pathname + back.search);
    expect(first.statusCode).toBe(302);
    const replay = new TestClient(t.app);
    replay.cookies.set('pilotis_oidc', start.cookies.find((k) => k.name === 'pilotis_oidc')!.value);
    const res2 = await replay.get(back.pathname + back.search);
    expect(res2.statusCode).toBe(502);
    expect(res2.body).toContain("n'a pas pu être vérifiée");
    expect(replay.cookies.has('pilotis_session')).toBe(false);
  });

  it('explains a sign-in cancelled or refused at the provider', async () => {
    stub.setUser('access_denied');
    const c = new TestClient(t.app);
    const res = await signInThroughProvider(c);
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('<h1>Connexion annulée</h1>');
    expect(res.body).toContain('La connexion avec ProConnect a été annulée ou refusée');
    expect(res.body).toContain('href="/connexion"');
    expect(c.cookies.has('pilotis_session')).toBe(false);
  });
});

describeEachDatabase('sign-in with a ProConnect-like provider that gives the details at userinfo', (kind) => {
  let t: TestApp;
  let stub: OidcStub;
  beforeAll(async () => {
    stub = await startOidcStub({ user: { sub: 'sub-ali', email: 'ali@ville.fr', given_name: 'Ali', usual_name: 'BEN' }, claimsIn: 'userinfo' });
    t = await startTestApp(kind, oidcEnv(stub.issuer));
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  it('reads the address from the signed userinfo answer and signs in', async () => {
    const row = await accountWithRole(t, 'ali@ville.fr', 'agent_territorial');
    const c = new TestClient(t.app);
    const res = await signInThroughProvider(c);
    expect(res.statusCode).toBe(302);
    expect((await c.get('/')).body).toContain('Bonjour ali');
    expect((await findAccountById(t.database.db, row.id))?.oidcSubject).toBe('sub-ali');
  });
});

describeEachDatabase('OpenID Connect provider unreachable', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // A provider that was there and is gone: its port is closed.
    const gone = await startOidcStub({ user: marie });
    await gone.close();
    t = await startTestApp(kind, oidcEnv(gone.issuer));
  });
  afterAll(() => t.close());

  it('says in French that the provider does not answer, and offers the way back', async () => {
    const c = new TestClient(t.app);
    const res = await leave(c);
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('<h1>Service de connexion indisponible</h1>');
    expect(res.body).toContain('ProConnect ne répond pas pour le moment');
    expect(res.body).toContain('href="/connexion"');
  });
});

describeEachDatabase('without an OpenID Connect provider configured', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  it('shows no provider button and the OIDC routes do not exist', async () => {
    const c = new TestClient(t.app);
    const page = await c.get('/connexion');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('/connexion/oidc');
    expect(page.body).not.toContain("S'identifier avec");
    expect((await c.post('/connexion/oidc', { retour: '/' })).statusCode).toBe(404);
    expect((await c.get('/connexion/oidc/retour?code=abc&state=def')).statusCode).toBe(404);
  });
});

describe('the OIDC stub', () => {
  it('refuses a token request with the wrong PKCE verifier', async () => {
    const stub = await startOidcStub({ user: marie });
    try {
      const authorize = new URL(`${stub.issuer}/authorize`);
      const params = {
        client_id: STUB_CLIENT_ID,
        redirect_uri: 'http://localhost/retour',
        response_type: 'code',
        scope: 'openid email',
        state: 's',
        nonce: 'n',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      };
      for (const [k, v] of Object.entries(params)) authorize.searchParams.set(k, v);
      const back = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
      const token = await fetch(`${stub.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: back.searchParams.get('code')!,
          redirect_uri: 'http://localhost/retour',
          client_id: STUB_CLIENT_ID,
          client_secret: STUB_CLIENT_SECRET,
          code_verifier: 'x'.repeat(43),
        }),
      });
      expect(token.status).toBe(400);
      expect(await token.json()).toMatchObject({ error: 'invalid_grant' });
    } finally {
      await stub.close();
    }
  });
});
