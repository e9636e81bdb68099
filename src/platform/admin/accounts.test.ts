import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../db/testing.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../../test/app.ts';
import { TestClient } from '../../../test/http-client.ts';
import { listTerritoires } from '../../territoires/store.ts';
import { listOrganisations } from '../../contrat/store.ts';
import { SYSTEM } from '../../defaults.ts';
import { listAudit } from '../audit/store.ts';
import { auditFilterSchema } from '../audit/model.ts';
import { assignmentsOf, findAccountByEmail } from '../auth/store.ts';
import { LAST_ADMIN_DEACTIVATE, LAST_ADMIN_REVOKE } from './model.ts';
import { revokeRoleChecked, updateAccountChecked } from './store.ts';

const ADMIN_PAGES = ['/admin', '/admin/comptes', '/admin/comptes/nouveau', '/admin/journal', '/admin/journal.csv'];

describeEachDatabase('administration: accounts and roles', (kind) => {
  let t: TestApp;
  let adminId: string;
  let t18: string;
  let caf: string;

  beforeAll(async () => {
    t = await startTestApp(kind);
    adminId = (await accountWithRole(t, 'admin@exemple.fr', 'admin')).id;
    await accountWithRole(t, 'direction@exemple.fr', 'direction_projet');
    t18 = (await listTerritoires(t.database.db, t.contrat.id)).find((x) => x.code === '75118')!.id;
    caf = (await listOrganisations(t.database.db, t.contrat.id)).find((o) => o.nom === 'CAF de Paris')!.id;
  });
  afterAll(() => t.close());

  async function as(email: string): Promise<TestClient> {
    const c = new TestClient(t.app);
    expect((await c.signIn(email, TEST_PASSWORD)).statusCode).toBe(302);
    return c;
  }

  /** Creates an account through the form and returns its page's URL. */
  async function createThroughForm(c: TestClient, displayName: string, email: string): Promise<string> {
    await c.get('/admin/comptes/nouveau');
    const res = await c.post('/admin/comptes/nouveau', { displayName, email, password: '' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toMatch(/^\/admin\/comptes\/[0-9a-f-]{36}$/);
    return res.headers.location as string;
  }

  function revokeActions(html: string): string[] {
    return [...html.matchAll(/action="(\/admin\/comptes\/[0-9a-f-]+\/roles\/[0-9a-f-]+\/retrait)"/g)].map((m) => m[1]!);
  }

  it('sends an anonymous visitor to sign in, coming back afterwards', async () => {
    const c = new TestClient(t.app);
    for (const url of [...ADMIN_PAGES, `/admin/comptes/${adminId}`]) {
      const res = await c.get(url);
      expect(res.statusCode, url).toBe(302);
      expect(res.headers.location).toBe(`/connexion?retour=${encodeURIComponent(url)}`);
    }
  });

  it('refuses every admin page and action to a direction de projet, with the French 403 page', async () => {
    const c = await as('direction@exemple.fr');
    for (const url of [...ADMIN_PAGES, `/admin/comptes/${adminId}`]) {
      const res = await c.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.body).toContain('Accès refusé');
    }
    await c.get('/');
    const posts: [string, Record<string, string>][] = [
      ['/admin/comptes/nouveau', { displayName: 'Intrus', email: 'intrus@exemple.fr' }],
      [`/admin/comptes/${adminId}`, { displayName: 'Pirate', active: 'oui' }],
      [`/admin/comptes/${adminId}/roles`, { role: 'direction_projet' }],
    ];
    for (const [url, fields] of posts) expect((await c.post(url, fields)).statusCode, url).toBe(403);
    expect(await findAccountByEmail(t.database.db, 'intrus@exemple.fr')).toBeUndefined();
    expect((await assignmentsOf(t.database.db, adminId)).map((a) => a.role)).toEqual(['admin']);
  });

  it('leads from /admin to the accounts list', async () => {
    const c = await as('admin@exemple.fr');
    const res = await c.get('/admin');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/admin/comptes');
    const list = await c.get('/admin/comptes');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('<h1>Comptes et rôles</h1>');
    expect(list.body).toContain('<caption>Comptes</caption>');
    expect(list.body).toContain('href="/admin/comptes/nouveau"');
  });

  it('creates an account, grants it a territorial role, and lists it with its scope', async () => {
    const c = await as('admin@exemple.fr');
    const url = await createThroughForm(c, 'Léa Martin', 'Lea.Martin@Exemple.fr');
    const page = await c.get(url);
    expect(page.body).toContain('Compte créé.');
    expect(page.body).toContain('<h1>Léa Martin</h1>');
    expect(page.body).toContain('lea.martin@exemple.fr');
    expect(page.body).toContain("Ce compte n'a aucun rôle dans ce contrat.");

    const granted = await c.post(`${url}/roles`, { role: 'agent_territorial', territoire: t18, organisation: '' });
    expect(granted.statusCode).toBe(302);
    expect(granted.headers.location).toBe(url);
    const after = await c.get(url);
    expect(after.body).toContain('Rôle attribué.');
    expect(after.body).toContain('<strong>Agent territorial</strong> — 18e arrondissement (75118)');
    expect(revokeActions(after.body)).toHaveLength(1);

    const list = await c.get('/admin/comptes?q=martin');
    expect(list.body).toContain(`<a href="${url}">Léa Martin</a>`);
    expect(list.body).toContain('Agent territorial — 18e arrondissement (75118)');
    expect(list.body).toContain('<td>Actif</td>');
    expect(list.body).not.toContain('admin@exemple.fr');
    const byEmail = await c.get('/admin/comptes?q=LEA.MARTIN@');
    expect(byEmail.body).toContain('Léa Martin');
  });

  it('refuses a second account with the same address, keeping what was typed', async () => {
    const c = await as('admin@exemple.fr');
    await c.get('/admin/comptes/nouveau');
    const res = await c.post('/admin/comptes/nouveau', { displayName: 'Autre Admin', email: 'ADMIN@exemple.fr', password: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain('Un compte existe déjà avec cette adresse.');
    expect(res.body).toContain('value="Autre Admin"');
    expect(res.body).toContain('value="ADMIN@exemple.fr"');

    const short = await c.post('/admin/comptes/nouveau', { displayName: 'Zoé', email: 'zoe@exemple.fr', password: 'court' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Le mot de passe doit compter au moins 12 caractères.');
    expect(short.body).not.toContain('value="court"');
  });

  it('re-renders the role form with 400 and the error summary when the scope does not fit the role', async () => {
    const c = await as('admin@exemple.fr');
    const url = await createThroughForm(c, 'Omar Benali', 'omar@exemple.fr');
    await c.get(url);

    const noScope = await c.post(`${url}/roles`, { role: 'agent_territorial', territoire: '', organisation: '' });
    expect(noScope.statusCode).toBe(400);
    expect(noScope.body).toContain('class="error-summary"');
    expect(noScope.body).toContain('href="#champ-territoire"');
    expect(noScope.body).toContain('Choisissez un territoire');
    expect(noScope.body).toContain('<option value="agent_territorial" selected>Agent territorial</option>');

    const orgForAgent = await c.post(`${url}/roles`, { role: 'agent_territorial', territoire: t18, organisation: caf });
    expect(orgForAgent.statusCode).toBe(400);
    expect(orgForAgent.body).toContain('href="#champ-organisation"');
    expect(orgForAgent.body).toContain('Laissez ce champ vide');
    expect(orgForAgent.body).toContain(`<option value="${caf}" selected>CAF de Paris</option>`);

    const unknown = await c.post(`${url}/roles`, { role: 'association', organisation: t18 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain("Cette organisation n'existe pas dans ce contrat");

    expect(await assignmentsOf(t.database.db, url.split('/').pop()!)).toEqual([]);
  });

  it('refuses the same assignment twice', async () => {
    const c = await as('admin@exemple.fr');
    const url = await createThroughForm(c, 'Inès Roy', 'ines.roy@exemple.fr');
    await c.get(url);
    expect((await c.post(`${url}/roles`, { role: 'association', organisation: caf })).statusCode).toBe(302);
    await c.get(url);
    const again = await c.post(`${url}/roles`, { role: 'association', organisation: caf });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('Ce compte a déjà ce rôle sur cette portée.');
    expect(await assignmentsOf(t.database.db, url.split('/').pop()!)).toHaveLength(1);
  });

  it('answers with the French 404 page for an unknown or malformed account id', async () => {
    const c = await as('admin@exemple.fr');
    for (const url of ['/admin/comptes/00000000-0000-4000-8000-000000000000', '/admin/comptes/pas-un-identifiant']) {
      const res = await c.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('Page introuvable');
    }
    await c.get('/admin/comptes');
    expect((await c.post(`/admin/comptes/${adminId}/roles/pas-un-id/retrait`, {})).statusCode).toBe(404);
  });

  it('revokes a role and audits it with its before-values', async () => {
    const c = await as('admin@exemple.fr');
    const url = await createThroughForm(c, 'Paul Lemaire', 'paul.lemaire@exemple.fr');
    await c.get(url);
    await c.post(`${url}/roles`, { role: 'membre_conseil_citoyen', territoire: t18 });
    const [action] = revokeActions((await c.get(url)).body);
    const res = await c.post(action!, {});
    expect(res.statusCode).toBe(302);
    const page = await c.get(url);
    expect(page.body).toContain('Rôle retiré.');
    expect(revokeActions(page.body)).toEqual([]);

    const audit = await listAudit(t.database.db, auditFilterSchema.parse({ objet: 'paul.lemaire@exemple.fr' }));
    const entry = audit.rows.find((r) => r.action === 'retrait-role')!;
    expect(entry.actorLabel).toBe('admin@exemple.fr');
    expect(entry.after).toBeNull();
    expect(entry.before).toMatchObject({ role: 'membre_conseil_citoyen', scopeKind: 'territoire', scopeRef: t18, scopeLabel: '18e arrondissement (75118)' });
    const journal = await c.get('/admin/journal?objet=paul.lemaire%40exemple.fr');
    expect(journal.body).toContain('Retrait de rôle');
    expect(journal.body).toContain('<span class="change-before">Membre de conseil citoyen</span>');
  });

  it('edits an account, and a deactivated account can no longer sign in', async () => {
    const c = await as('admin@exemple.fr');
    const row = await accountWithRole(t, 'sortant@exemple.fr', 'direction_projet');
    const other = await as('sortant@exemple.fr');
    await c.get(`/admin/comptes/${row.id}`);
    const res = await c.post(`/admin/comptes/${row.id}`, { displayName: 'Sortant Définitif' });
    expect(res.statusCode).toBe(302);
    const page = await c.get(`/admin/comptes/${row.id}`);
    expect(page.body).toContain('Compte modifié.');
    expect(page.body).toContain('<h1>Sortant Définitif</h1>');
    expect((await other.get('/')).body).not.toContain('Bonjour');
    expect((await new TestClient(t.app).signIn('sortant@exemple.fr', TEST_PASSWORD)).statusCode).toBe(401);

    const bad = await c.post(`/admin/comptes/${row.id}`, { displayName: 'X', active: 'oui', password: 'court' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#champ-displayName"');
    expect(bad.body).toContain('href="#champ-password"');
    expect(bad.body).toContain('value="X"');
  });

  it('never lets an admin lock themselves out, nor a contract lose its last active admin', async () => {
    const c = await as('admin@exemple.fr');
    const ownPage = await c.get(`/admin/comptes/${adminId}`);
    const [ownAdmin] = revokeActions(ownPage.body);
    const refused = await c.post(ownAdmin!, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('class="error-summary"');
    expect(refused.body).toContain('Vous ne pouvez pas retirer votre propre rôle');
    expect((await assignmentsOf(t.database.db, adminId)).map((a) => a.role)).toEqual(['admin']);

    const deactivate = await c.post(`/admin/comptes/${adminId}`, { displayName: 'admin' });
    expect(deactivate.statusCode).toBe(400);
    expect(deactivate.body).toContain('Vous ne pouvez pas désactiver votre propre compte');
    expect(deactivate.body).toContain('href="#champ-active"');
    expect((await findAccountByEmail(t.database.db, 'admin@exemple.fr'))!.active).toBe(true);
    expect((await c.get('/admin/comptes')).statusCode).toBe(200);

    // Another admin's role may go while this admin remains.
    const url = await createThroughForm(c, 'Second Admin', 'second@exemple.fr');
    await c.get(url);
    await c.post(`${url}/roles`, { role: 'admin' });
    const [secondAdmin] = revokeActions((await c.get(url)).body);
    expect((await c.post(secondAdmin!, {})).statusCode).toBe(302);

    // Any other path (the command line acts as the system) still keeps the last active admin.
    const [own] = await assignmentsOf(t.database.db, adminId);
    const revoke = await revokeRoleChecked(t.database.db, SYSTEM, { accountId: adminId, contratId: t.contrat.id, assignmentId: own!.id });
    expect(revoke).toEqual({ ok: false, reason: 'refus', message: LAST_ADMIN_REVOKE });
    const update = await updateAccountChecked(t.database.db, SYSTEM, t.contrat.id, adminId, { active: false });
    expect(update).toEqual({ ok: false, reason: 'refus', message: LAST_ADMIN_DEACTIVATE });
  });
});
