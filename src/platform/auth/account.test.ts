import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../db/testing.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../../test/app.ts';
import { TestClient } from '../../../test/http-client.ts';
import { SYSTEM } from '../../defaults.ts';
import { auditLog } from '../audit/schema.ts';
import { apiToken } from './schema.ts';
import { createApiToken } from './tokens-store.ts';

const moi = (t: TestApp, token: string) => t.app.inject({ method: 'GET', url: '/api/v1/moi', headers: { authorization: `Bearer ${token}` } });

function revocationUrls(html: string): string[] {
  return [...html.matchAll(/action="(\/compte\/jetons\/[0-9a-f-]+\/revocation)"/g)].map((m) => m[1]!);
}

describeEachDatabase('the account page', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await accountWithRole(t, 'claire@exemple.fr', 'direction_projet');
    await accountWithRole(t, 'bruno@exemple.fr', 'direction_projet');
    await accountWithRole(t, 'paul@exemple.fr', 'direction_projet');
  });
  afterAll(() => t.close());

  it('sends an anonymous visitor to sign in first', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/compte' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/connexion?retour=%2Fcompte');
  });

  it('shows the person, their roles and the use of API tokens', async () => {
    const c = new TestClient(t.app);
    await c.signIn('claire@exemple.fr', TEST_PASSWORD);
    const res = await c.get('/compte');
    expect(res.statusCode).toBe(200);
    expect(res.body.match(/<h1/g)).toHaveLength(1);
    expect(res.body).toContain('<h1>Mon compte</h1>');
    expect(res.body).toContain('claire@exemple.fr');
    expect(res.body).toContain('Direction de projet');
    expect(res.body).toContain("Jetons d'accès à l'API");
    expect(res.body).toContain('Authorization: Bearer pil_…');
    expect(res.body).toContain('<label for="champ-nom">Nom du jeton</label>');
    expect(res.body).toContain('Créer un jeton');
  });

  it('creates a token shown once, never stored or audited in clear, that works on the API until revoked through the page', async () => {
    const c = new TestClient(t.app);
    await c.signIn('claire@exemple.fr', TEST_PASSWORD);
    await c.get('/compte');
    const created = await c.post('/compte/jetons', { nom: 'Tableau de bord' });
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBeUndefined();
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toContain('Copiez ce jeton maintenant : il ne sera plus affiché.');
    expect(created.body).toContain('<label for="champ-nouveau-jeton">Nouveau jeton</label>');
    const token = /id="champ-nouveau-jeton"[^>]*value="(pil_[A-Za-z0-9_-]+)"|value="(pil_[A-Za-z0-9_-]+)"[^>]*id="champ-nouveau-jeton"/.exec(created.body);
    const clear = token?.[1] ?? token?.[2];
    expect(clear).toMatch(/^pil_[A-Za-z0-9_-]{43}$/);
    expect(/<input[^>]*id="champ-nouveau-jeton"[^>]*>/.exec(created.body)![0]).toContain('readonly');

    // Neither the token table nor the audit log holds the clear value; no cookie carries it.
    const stored = await t.database.db.select().from(apiToken);
    expect(JSON.stringify(stored)).not.toContain(clear!);
    const audit = await t.database.db.select().from(auditLog);
    expect(audit.some((a) => a.objectType === 'jeton-api' && a.action === 'creation' && a.objectLabel?.startsWith('Tableau de bord'))).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(clear!);
    expect(JSON.stringify(created.cookies)).not.toContain(clear!);

    // Shown once: the page, visited again, lists the token by its beginning only.
    const page = await c.get('/compte');
    expect(page.body).not.toContain(clear!);
    expect(page.body).toContain(`${clear!.slice(0, 10)}…`);
    expect(page.body).toContain('Jamais utilisé');

    const ok = await moi(t, clear!);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().email).toBe('claire@exemple.fr');
    expect((await c.get('/compte')).body).not.toContain('Jamais utilisé');

    const [revocation] = revocationUrls(page.body);
    const revoked = await c.post(revocation!, {});
    expect(revoked.statusCode).toBe(302);
    expect(revoked.headers.location).toBe('/compte#jetons');
    const after = await c.get('/compte');
    expect(after.body).toContain('Jeton révoqué.');
    expect(after.body).toContain('Révoqué le');
    expect(revocationUrls(after.body)).toEqual([]);

    const refused = await moi(t, clear!);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().erreur).toBe('Authentification requise');
  });

  it("keeps the typed name and explains the error when a token's name is too short", async () => {
    const c = new TestClient(t.app);
    await c.signIn('claire@exemple.fr', TEST_PASSWORD);
    await c.get('/compte');
    const res = await c.post('/compte/jetons', { nom: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain('Le nom du jeton doit compter au moins 2 caractères.');
    expect(res.body).toContain('href="#champ-nom"');
    expect(res.body).toMatch(/id="champ-nom"[^>]*value="x"|value="x"[^>]*id="champ-nom"/);
    expect(res.body).not.toContain('Copiez ce jeton');
  });

  it('refuses to create a token from a form without its CSRF token', async () => {
    const c = new TestClient(t.app);
    await c.signIn('claire@exemple.fr', TEST_PASSWORD);
    const before = (await t.database.db.select().from(apiToken)).length;
    const res = await c.post('/compte/jetons', { _csrf: 'faux', nom: 'Jeton volé' });
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('pil_');
    expect((await t.database.db.select().from(apiToken)).length).toBe(before);
  });

  it("cannot revoke another person's token", async () => {
    const bruno = (await t.database.db.query.account.findFirst({ where: (a, { eq }) => eq(a.email, 'bruno@exemple.fr') }))!;
    const { row, token } = await createApiToken(t.database.db, SYSTEM, bruno.id, 'Script de Bruno');
    const c = new TestClient(t.app);
    await c.signIn('claire@exemple.fr', TEST_PASSWORD);
    await c.get('/compte');
    const res = await c.post(`/compte/jetons/${row.id}/revocation`, {});
    expect(res.statusCode).toBe(404);
    expect((await moi(t, token)).statusCode).toBe(200);
    const notAnId = await c.post('/compte/jetons/pas-un-identifiant/revocation', {});
    expect(notAnId.statusCode).toBe(404);
  });

  it('changes the password, ends the other sessions and keeps this one', async () => {
    const here = new TestClient(t.app);
    const elsewhere = new TestClient(t.app);
    await here.signIn('paul@exemple.fr', TEST_PASSWORD);
    await elsewhere.signIn('paul@exemple.fr', TEST_PASSWORD);
    await here.get('/compte');

    const wrong = await here.post('/compte/mot-de-passe', {
      motDePasseActuel: 'pas le bon mot de passe',
      nouveauMotDePasse: 'une nouvelle phrase secrète',
      confirmation: 'une nouvelle phrase secrète',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Le mot de passe actuel est incorrect.');

    const mismatch = await here.post('/compte/mot-de-passe', {
      motDePasseActuel: TEST_PASSWORD,
      nouveauMotDePasse: 'une nouvelle phrase secrète',
      confirmation: 'une autre phrase secrète',
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('La confirmation ne correspond pas au nouveau mot de passe.');

    const short = await here.post('/compte/mot-de-passe', { motDePasseActuel: TEST_PASSWORD, nouveauMotDePasse: 'court', confirmation: 'court' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Le mot de passe doit compter au moins 12 caractères.');

    const done = await here.post('/compte/mot-de-passe', {
      motDePasseActuel: TEST_PASSWORD,
      nouveauMotDePasse: 'une nouvelle phrase secrète',
      confirmation: 'une nouvelle phrase secrète',
    });
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe('/compte');
    const page = await here.get('/compte');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Mot de passe changé.');

    const other = await elsewhere.get('/compte');
    expect(other.statusCode).toBe(302);
    expect(other.headers.location).toBe('/connexion?retour=%2Fcompte');

    expect((await new TestClient(t.app).signIn('paul@exemple.fr', TEST_PASSWORD)).statusCode).toBe(401);
    expect((await new TestClient(t.app).signIn('paul@exemple.fr', 'une nouvelle phrase secrète')).statusCode).toBe(302);
  });
});
