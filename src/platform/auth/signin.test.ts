import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../db/testing.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../../test/app.ts';
import { TestClient } from '../../../test/http-client.ts';
import { FREE_FAILURES } from './model.ts';
import { openSession, purgeExpired, resolveSession, signInWithPassword, updateAccount } from './store.ts';
import { SYSTEM } from '../../defaults.ts';

describeEachDatabase('sign-in with a password', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await accountWithRole(t, 'claire@exemple.fr', 'direction_projet');
    await accountWithRole(t, 'bruno@exemple.fr', 'direction_projet');
    await accountWithRole(t, 'ines@exemple.fr', 'direction_projet');
  });
  afterAll(() => t.close());

  it('signs in, shows the person on the home page, and signs out for good', async () => {
    const c = new TestClient(t.app);
    const res = await c.signIn('Claire@Exemple.fr', TEST_PASSWORD);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/');
    const stolen = c.cookies.get('pilotis_session')!;
    const home = await c.get('/');
    expect(home.body).toContain('Bonjour claire');
    expect(home.body).toContain('Direction de projet');

    const out = await c.post('/deconnexion', {});
    expect(out.statusCode).toBe(302);
    expect((await c.get('/')).body).not.toContain('Bonjour claire');

    // The cookie of the closed session, replayed, no longer signs anyone in.
    const replay = await t.app.inject({ method: 'GET', url: '/', cookies: { pilotis_session: stolen } });
    expect(replay.body).not.toContain('Bonjour claire');
    expect(replay.body).toContain('Se connecter');
  });

  it('refuses a wrong password with a French message and keeps the typed address', async () => {
    const c = new TestClient(t.app);
    await c.get('/connexion');
    const res = await c.post('/connexion', { email: 'ines@exemple.fr', motDePasse: 'pas le bon mot de passe' });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('Adresse électronique ou mot de passe incorrect.');
    expect(res.body).toContain('value="ines@exemple.fr"');
    expect(res.body).toContain('class="error-summary"');
  });

  it('validates the form in French', async () => {
    const c = new TestClient(t.app);
    await c.get('/connexion');
    const res = await c.post('/connexion', { email: 'pas-une-adresse', motDePasse: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Saisissez une adresse électronique valide');
    expect(res.body).toContain('Saisissez votre mot de passe.');
    expect(res.body).toContain('href="#champ-email"');
  });

  it('slows down repeated wrong passwords, even when the right one comes next', async () => {
    const c = new TestClient(t.app);
    await c.get('/connexion');
    for (let i = 0; i < FREE_FAILURES; i++) {
      const res = await c.post('/connexion', { email: 'bruno@exemple.fr', motDePasse: `essai numéro ${i}` });
      expect(res.statusCode).toBe(401);
    }
    const locked = await c.post('/connexion', { email: 'bruno@exemple.fr', motDePasse: TEST_PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain('Trop de tentatives infructueuses. Réessayez dans 30 secondes.');
  });

  it('refuses a form posted without its CSRF token', async () => {
    const c = new TestClient(t.app);
    await c.get('/connexion');
    const res = await c.post('/connexion', { _csrf: 'faux', email: 'claire@exemple.fr', motDePasse: TEST_PASSWORD });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Le formulaire a expiré');
    expect(c.cookies.has('pilotis_session')).toBe(false);
  });

  it('ends the sessions of an account that is deactivated', async () => {
    const row = await accountWithRole(t, 'paul@exemple.fr', 'direction_projet');
    const c = new TestClient(t.app);
    await c.signIn('paul@exemple.fr', TEST_PASSWORD);
    expect((await c.get('/')).body).toContain('Bonjour paul');
    await updateAccount(t.database.db, SYSTEM, row.id, { active: false });
    expect((await c.get('/')).body).not.toContain('Bonjour paul');
    const again = await c.signIn('paul@exemple.fr', TEST_PASSWORD);
    expect(again.statusCode).toBe(401);
  });

  it('expires a session left unused, and one kept too long', async () => {
    const row = await accountWithRole(t, 'lea@exemple.fr', 'direction_projet');
    const secret = await openSession(t.database.db, row.id, 'mot-de-passe', '127.0.0.1');
    const limits = { idleMinutes: 120, maxHours: 12 };
    const now = Date.now();
    expect(await resolveSession(t.database.db, secret, limits, new Date(now + 60 * 60_000))).not.toBeNull();
    expect(await resolveSession(t.database.db, secret, limits, new Date(now + 3 * 60 * 60_000))).toBeNull();
    // Used every hour, it still ends after twelve hours.
    let seen: unknown = null;
    for (let h = 1; h <= 11; h++) seen = await resolveSession(t.database.db, secret, limits, new Date(now + h * 60 * 60_000));
    expect(seen).not.toBeNull();
    expect(await resolveSession(t.database.db, secret, limits, new Date(now + 12 * 60 * 60_000 + 1000))).toBeNull();
  });

  it('forgets sessions that are over and failures the throttle no longer counts', async () => {
    const row = await accountWithRole(t, 'remi@exemple.fr', 'direction_projet');
    const kept = await openSession(t.database.db, row.id, 'mot-de-passe', '127.0.0.1');
    const limits = { idleMinutes: 120, maxHours: 12 };
    await signInWithPassword(t.database.db, 'remi@exemple.fr', 'pas le bon', '10.9.9.9');
    // Thirteen hours later: every session opened so far is past its lifetime, the failure forgotten.
    const later = new Date(Date.now() + 13 * 3_600_000);
    const purged = await purgeExpired(t.database.db, limits, later);
    expect(purged.sessions).toBeGreaterThan(0);
    expect(purged.throttles).toBeGreaterThan(0);
    expect(await resolveSession(t.database.db, kept, limits, later)).toBeNull();
    // A session still alive is kept.
    const fresh = await openSession(t.database.db, row.id, 'mot-de-passe', '127.0.0.1');
    await purgeExpired(t.database.db, limits);
    expect(await resolveSession(t.database.db, fresh, limits)).not.toBeNull();
  });

  it('only returns to a local page after sign-in', async () => {
    const c = new TestClient(t.app);
    await c.get('/connexion?retour=//evil.example/');
    const res = await c.post('/connexion', { email: 'claire@exemple.fr', motDePasse: TEST_PASSWORD, retour: '//evil.example/' });
    expect(res.headers.location).toBe('/');
  });
});
