import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyPluginAsync } from 'fastify';
import { loadConfig } from '../../config.ts';
import { buildApp, logRequest } from './app.ts';
import { describeEachDatabase, openTestDatabase } from '../db/testing.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../../test/app.ts';
import { TestClient } from '../../../test/http-client.ts';
import { appContext } from '../../server.ts';
import { safeReturnPath, FREE_FAILURES } from '../auth/model.ts';
import { signInWithPassword, updateAccount } from '../auth/store.ts';
import { listAudit } from '../audit/store.ts';
import { auditFilterSchema, changedFields } from '../audit/model.ts';
import { SYSTEM } from '../../defaults.ts';

describe('return path after sign-in', () => {
  it('keeps a path of this site, with its query and fragment', () => {
    expect(safeReturnPath('/admin/comptes?q=paul#roles')).toBe('/admin/comptes?q=paul#roles');
  });
  it('refuses every way of leaving the site', () => {
    for (const evil of ['//evil.example', '/\t/evil.example', '/\n/evil.example', '/\\evil.example', '\\\\evil.example', 'https://evil.example', '/%0a', 'javascript:alert(1)', '']) {
      const kept = safeReturnPath(evil);
      expect(new URL(kept, 'http://pilotis.test').origin, evil).toBe('http://pilotis.test');
    }
    expect(safeReturnPath('/\t/evil.example')).toBe('/');
    expect(safeReturnPath(42)).toBe('/');
  });
});

describe('request log', () => {
  it('never keeps a query string, where an address or a sign-in code may be', () => {
    expect(logRequest({ method: 'GET', url: '/quartiers/adresse?adresse=12+rue+de+la+Chapelle', ip: '10.0.0.1' })).toEqual({
      method: 'GET',
      url: '/quartiers/adresse',
      ip: '10.0.0.1',
    });
    expect(JSON.stringify(logRequest({ method: 'GET', url: '/connexion/oidc/retour?code=abc&state=def' }))).not.toContain('abc');
  });
});

describe('routes must name their policy action', () => {
  it('refuses to start with a route that declares none', async () => {
    const database = await openTestDatabase('pglite');
    const rogue: FastifyPluginAsync = async (app) => {
      app.get('/statistiques', async () => 'ouvert à tous ?');
    };
    await expect(
      buildApp({ ...appContext(loadConfig({ NODE_ENV: 'test' }), database), modules: [rogue], logger: false }),
    ).rejects.toThrow(/ne déclare pas d'action de la politique/);
    await database.close();
  });
});

describeEachDatabase('security of every response', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await accountWithRole(t, 'nadia@exemple.fr', 'direction_projet');
    await accountWithRole(t, 'yves@exemple.fr', 'direction_projet');
  });
  afterAll(() => t.close());

  it('sends security headers and a strict content security policy', async () => {
    const res = await t.app.inject('/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('marks the session cookie httpOnly and SameSite', async () => {
    const c = new TestClient(t.app);
    const res = await c.signIn('nadia@exemple.fr', TEST_PASSWORD);
    const cookie = res.cookies.find((x) => x.name === 'pilotis_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
  });

  it('ends the previous session when someone signs in again in the same browser', async () => {
    const c = new TestClient(t.app);
    await c.signIn('nadia@exemple.fr', TEST_PASSWORD);
    const first = c.cookies.get('pilotis_session')!;
    await c.signIn('nadia@exemple.fr', TEST_PASSWORD);
    expect(c.cookies.get('pilotis_session')).not.toBe(first);
    const replay = await t.app.inject({ url: '/', cookies: { pilotis_session: first } });
    expect(replay.body).not.toContain('Bonjour nadia');
  });

  it('counts wrong passwords sent in parallel one by one', async () => {
    const attempts = await Promise.all(
      Array.from({ length: FREE_FAILURES + 3 }, (_, i) => signInWithPassword(t.database.db, 'yves@exemple.fr', `mauvais ${i}`, '10.0.0.9')),
    );
    expect(attempts.filter((a) => !a.ok && a.reason === 'attente').length).toBeGreaterThan(0);
    const next = await signInWithPassword(t.database.db, 'yves@exemple.fr', TEST_PASSWORD, '10.0.0.9');
    expect(next).toMatchObject({ ok: false, reason: 'attente' });
  });

  it('answers too many requests with the French page', async () => {
    const c = new TestClient(t.app);
    await c.get('/connexion');
    let last = await c.post('/connexion', { email: 'personne@exemple.fr', motDePasse: 'x' });
    for (let i = 0; i < 40 && last.statusCode !== 429; i++) {
      last = await c.post('/connexion', { email: `personne${i}@exemple.fr`, motDePasse: 'x' });
    }
    expect(last.statusCode).toBe(429);
    expect(last.headers['content-type']).toContain('text/html');
    expect(last.body).toMatch(/Trop de (requêtes|tentatives)/);
  });

  it('shows a password change in the audit log without revealing anything of it', async () => {
    const row = await accountWithRole(t, 'odile@exemple.fr', null);
    await updateAccount(t.database.db, SYSTEM, row.id, { password: 'un tout nouveau mot de passe' });
    const { rows } = await listAudit(t.database.db, auditFilterSchema.parse({ objet: 'odile@exemple.fr' }));
    const change = rows.find((r) => r.action === 'modification')!;
    expect(changedFields(change.before, change.after)).toContain('passwordHash');
    expect(JSON.stringify(change)).not.toContain('$argon2');
    expect(JSON.stringify(change)).not.toContain('un tout nouveau mot de passe');
  });
});

describe('health check', () => {
  it('answers 503, not an error page, when the database is gone', async () => {
    const database = await openTestDatabase('pglite');
    const app = await buildApp({ ...appContext(loadConfig({ NODE_ENV: 'test' }), database), modules: [], logger: false });
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect((await app.inject('/static/pilotis.css')).statusCode).toBe(200);
    await database.close();
    const res = await app.inject('/healthz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ statut: 'indisponible' });
    await app.close();
  });
});
