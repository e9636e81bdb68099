import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../db/testing.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../../test/app.ts';
import { TestClient } from '../../../test/http-client.ts';
import { listTerritoires } from '../../territoires/store.ts';
import { auditLog } from '../audit/schema.ts';

// Entries written at chosen instants, to test the day filters in Paris time.
const DATED = [
  // 00:30 in Paris on 2 March 2020 (UTC+1), but still 1 March in UTC.
  { label: 'hiver-2-mars', at: new Date('2020-03-01T23:30:00Z') },
  // 23:30 in Paris on 2 March 2020.
  { label: 'hiver-2-mars-soir', at: new Date('2020-03-02T22:30:00Z') },
  // 00:30 in Paris on 3 March 2020.
  { label: 'hiver-3-mars', at: new Date('2020-03-02T23:30:00Z') },
  // 00:30 in Paris on 2 July 2020 (summer time, UTC+2).
  { label: 'ete-2-juillet', at: new Date('2020-07-01T22:30:00Z') },
];

describeEachDatabase('administration: the audit journal', (kind) => {
  let t: TestApp;
  let c: TestClient;
  let accountUrl: string;

  beforeAll(async () => {
    t = await startTestApp(kind);
    await accountWithRole(t, 'admin@exemple.fr', 'admin');
    const t18 = (await listTerritoires(t.database.db, t.contrat.id)).find((x) => x.code === '75118')!.id;
    await t.database.db.insert(auditLog).values([
      ...DATED.map((d) => ({ at: d.at, actorLabel: 'archiviste@exemple.fr', action: 'modification', objectType: 'compte', objectId: d.label, objectLabel: d.label, contratId: t.contrat.id })),
      ...Array.from({ length: 60 }, (_, i) => ({ actorLabel: 'robot@exemple.fr', action: 'creation', objectType: 'essai', objectId: `essai-${i}`, objectLabel: `essai ${i}`, contratId: t.contrat.id })),
      // Another contract's entry: not this admin's business.
      { actorLabel: 'robot@exemple.fr', action: 'creation', objectType: 'essai', objectId: 'ailleurs', objectLabel: 'autre contrat', contratId: '00000000-0000-4000-8000-0000000000aa' },
    ]);

    c = new TestClient(t.app);
    await c.signIn('admin@exemple.fr', TEST_PASSWORD);
    await c.get('/admin/comptes/nouveau');
    accountUrl = (await c.post('/admin/comptes/nouveau', { displayName: 'Nadia Haddad', email: 'nadia@exemple.fr', password: '' })).headers.location as string;
    await c.get(accountUrl);
    expect((await c.post(`${accountUrl}/roles`, { role: 'agent_territorial', territoire: t18 })).statusCode).toBe(302);
  });
  afterAll(() => t.close());

  function tableRows(html: string): string[] {
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
    return body.split('<tr>').slice(1);
  }

  it('shows the grant, by whom, with its after-values, dated in Paris time', async () => {
    const res = await c.get('/admin/journal');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("<h1>Journal d'audit</h1>");
    expect(res.body).toContain("<caption>Journal d'audit</caption>");
    const grant = tableRows(res.body).find((r) => r.includes('Attribution de rôle'))!;
    expect(grant).toContain('<td>admin@exemple.fr</td>');
    expect(grant).toContain('Compte : nadia@exemple.fr');
    expect(grant).toContain('<span class="change-field">Rôle</span> : <span class="change-before">(vide)</span>');
    expect(grant).toContain('<span class="change-after">Agent territorial</span>');
    expect(grant).toContain('<span class="change-after">18e arrondissement (75118)</span>');
    expect(grant).toMatch(/<time datetime="[^"]+">\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}<\/time>/);
  });

  it('never shows a secret, even in an account creation', async () => {
    const res = await c.get('/admin/journal?objet=nadia%40exemple.fr');
    expect(res.body).toContain('Création');
    expect(res.body).not.toContain('argon2');
  });

  it('filters by person and by object, keeping the typed filter', async () => {
    const byAdmin = tableRows((await c.get('/admin/journal?personne=ADMIN%40exemple')).body);
    expect(byAdmin.some((r) => r.includes('Attribution de rôle'))).toBe(true);
    expect(byAdmin.every((r) => r.includes('<td>admin@exemple.fr</td>'))).toBe(true);

    const byOther = await c.get('/admin/journal?personne=archiviste');
    expect(tableRows(byOther.body)).toHaveLength(DATED.length);
    expect(byOther.body).not.toContain('Attribution de rôle');
    expect(byOther.body).toContain('value="archiviste"');

    const byObject = tableRows((await c.get('/admin/journal?objet=nadia')).body);
    expect(byObject.length).toBeGreaterThanOrEqual(2);
    expect(byObject.every((r) => r.includes('nadia@exemple.fr'))).toBe(true);
    expect(tableRows((await c.get('/admin/journal?objet=personne-inconnue')).body)).toEqual([]);
  });

  it('takes days in Paris time: from its midnight to the next, summer time included', async () => {
    const march2 = (await c.get('/admin/journal?du=2020-03-02&au=2020-03-02')).body;
    expect(march2).toContain('hiver-2-mars');
    expect(march2).toContain('hiver-2-mars-soir');
    expect(march2).not.toContain('hiver-3-mars');
    expect(march2).not.toContain('nadia@exemple.fr');
    expect(march2).toContain('02/03/2020 00:30:00');
    expect(march2).toContain('02/03/2020 23:30:00');

    const march1 = (await c.get('/admin/journal?du=2020-03-01&au=2020-03-01')).body;
    expect(tableRows(march1)).toEqual([]);
    expect(march1).toContain('Aucune entrée ne correspond au filtre.');

    const fromMarch3 = tableRows((await c.get('/admin/journal?personne=archiviste&du=2020-03-03')).body);
    expect(fromMarch3.map((r) => /(hiver|ete)-[\w-]+/.exec(r)?.[0])).toEqual(['ete-2-juillet', 'hiver-3-mars']);

    const july = (await c.get('/admin/journal?du=2020-07-02&au=2020-07-02')).body;
    expect(tableRows(july)).toHaveLength(1);
    expect(july).toContain('02/07/2020 00:30:00');
  });

  it('shows the error summary for invalid dates, keeping what was typed', async () => {
    const res = await c.get('/admin/journal?du=2020-02-30&au=hier');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain('href="#champ-du"');
    expect(res.body).toContain('href="#champ-au"');
    expect(res.body).toContain('Saisissez une date au format AAAA-MM-JJ.');
    expect(res.body).toContain('value="hier"');
    expect(res.body).not.toContain('<tbody>');
    expect((await c.get('/admin/journal.csv?du=2020-02-30')).statusCode).toBe(400);
  });

  it('pages by 50, keeping the filters in the links', async () => {
    const first = await c.get('/admin/journal?personne=robot');
    expect(tableRows(first.body)).toHaveLength(50);
    expect(first.body).toContain('60 entrées.');
    expect(first.body).toContain('Page 1 sur 2');
    expect(first.body).toContain('<a href="/admin/journal?personne=robot&amp;page=2" rel="next">Page suivante</a>');
    expect(first.body).not.toContain('Page précédente');
    expect(first.body).not.toContain('autre contrat');

    const second = await c.get('/admin/journal?personne=robot&page=2');
    expect(tableRows(second.body)).toHaveLength(10);
    expect(second.body).toContain('<a href="/admin/journal?personne=robot" rel="prev">Page précédente</a>');
    expect(second.body).not.toContain('Page suivante');
  });

  it('exports the filtered journal as CSV: BOM, header, same filters, every page', async () => {
    const page = await c.get('/admin/journal?objet=nadia&du=2000-01-01');
    expect(page.body).toContain('href="/admin/journal.csv?objet=nadia&amp;du=2000-01-01"');
    expect(page.body).toContain('Télécharger le journal (CSV)');

    const res = await c.get('/admin/journal.csv?objet=nadia&du=2000-01-01');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="journal-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = res.rawPayload.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe("Date;Personne;Adresse IP;Action;Type d'objet;Identifiant de l'objet;Objet;Changements");
    expect(text).toContain('Attribution de rôle');
    expect(text).toContain('Rôle : (vide) → Agent territorial');
    expect(text).not.toContain('robot@exemple.fr');

    const all = (await c.get('/admin/journal.csv?personne=robot')).rawPayload.toString('utf8');
    expect(all.trimEnd().split('\r\n')).toHaveLength(1 + 60);
  });
});
