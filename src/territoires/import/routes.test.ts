import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../../test/app.ts';
import { TestClient, type Response } from '../../../test/http-client.ts';
import { geoFile } from '../../../test/geo-data.ts';
import { exclusive } from './progress.ts';

/** Uploaded files waiting in the temporary folder. */
const uploads = () => readdirSync(tmpdir()).filter((f) => /^pilotis-import-[0-9a-f-]{36}$/.test(f)).length;
/** Resolves once every import queued in this process has ended (imports of one process run one after another). */
const importsDone = () => exclusive(async () => undefined);

/** Posts a multipart form as a browser does, with the CSRF token of the last page unless one is given. */
function postMultipart(c: TestClient, fields: Record<string, string>, file?: { name: string; content: Buffer | string }): Promise<Response> {
  const boundary = `----pilotis${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  const all = { ...(c.csrf && !('_csrf' in fields) ? { _csrf: c.csrf } : {}), ...fields };
  for (const [k, v] of Object.entries(all)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return c.request({ method: 'POST', url: '/admin/imports', payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

describeEachDatabase('admin imports page', (kind) => {
  let t: TestApp;
  const admin = new TestClient(null as never);
  // Another test process may hold an upload at the same time: counts are compared with this one.
  let baseline = 0;
  beforeAll(async () => {
    baseline = uploads();
    t = await startTestApp(kind);
    await accountWithRole(t, 'alice@exemple.fr', 'admin');
    await accountWithRole(t, 'dora@exemple.fr', 'direction_projet');
    Object.assign(admin, new TestClient(t.app));
    await admin.signIn('alice@exemple.fr', TEST_PASSWORD);
  });
  afterAll(() => t.close());

  it('is for administrators only, and refuses an upload before reading it', async () => {
    const anonymous = await new TestClient(t.app).get('/admin/imports');
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toBe('/connexion?retour=%2Fadmin%2Fimports');
    const dora = new TestClient(t.app);
    await dora.signIn('dora@exemple.fr', TEST_PASSWORD);
    expect((await dora.get('/admin/imports')).statusCode).toBe(403);
    expect((await dora.get('/')).body).not.toContain('href="/admin/imports"');
    const before = uploads();
    expect((await postMultipart(dora, { type: 'qpv' }, { name: 'qpv.geojson', content: readFileSync(geoFile('qpv2015_paris.geojson')) })).statusCode).toBe(403);
    expect(uploads()).toBe(before);
  });

  it('shows the form, each kind explained, and the empty history', async () => {
    const page = await admin.get('/admin/imports');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Imports de données ouvertes</h1>');
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toMatch(/<label for="champ-type">Type de fichier<\/label>/);
    expect(page.body).toMatch(/<label for="champ-fichier">Fichier<\/label>/);
    expect(page.body).toContain('<option value="insee-qpv">Chiffres INSEE par quartier prioritaire (CSV)</option>');
    expect(page.body).toContain('DEMO (population), REVN (revenu fiscal médian, revenu disponible médian, taux de pauvreté)');
    expect(page.body).toContain("Aucun import n'a encore été fait pour ce contrat.");
    expect(page.body).toContain('<a href="/admin/imports" aria-current="page">Imports</a>');
  });

  it('asks again for a missing type or file, keeping the type chosen', async () => {
    await admin.get('/admin/imports');
    const noFile = await postMultipart(admin, { type: 'iris' });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.body).toContain('class="error-summary"');
    expect(noFile.body).toContain('href="#champ-fichier">Fichier : Choisissez un fichier à importer');
    expect(noFile.body).toContain('<option value="iris" selected>');
    const before = uploads();
    const noType = await postMultipart(admin, {}, { name: 'qpv.geojson', content: '{}' });
    expect(noType.statusCode).toBe(400);
    expect(noType.body).toContain('Type de fichier : Choisissez le type de fichier.');
    expect(noType.body).toContain('Choisissez à nouveau le fichier');
    expect(uploads()).toBe(before);
  });

  it('refuses an upload without its CSRF token, and keeps nothing of it', async () => {
    await admin.get('/admin/imports');
    const before = uploads();
    const res = await postMultipart(admin, { _csrf: 'faux', type: 'qpv' }, { name: 'qpv.geojson', content: readFileSync(geoFile('qpv2015_paris.geojson')) });
    expect(res.statusCode).toBe(403);
    expect(uploads()).toBe(before);
  });

  it('imports an uploaded file, shows its progress while it waits or runs, then its counts', async () => {
    await admin.get('/admin/imports');
    let release!: () => void;
    // Another import holds the queue: this one waits, and its page says so.
    const held = exclusive(() => new Promise<void>((resolve) => (release = resolve)));
    const res = await postMultipart(admin, { type: 'qpv' }, { name: 'qpv2015_paris.geojson', content: readFileSync(geoFile('qpv2015_paris.geojson')) });
    expect(res.statusCode).toBe(303);
    const url = res.headers.location as string;
    expect(url).toMatch(/^\/admin\/imports\/[0-9a-f-]{36}$/);
    const waiting = await admin.get(url);
    expect(waiting.body).toContain('<h1>Import en cours</h1>');
    expect(waiting.body).toContain('<noscript><meta http-equiv="refresh" content="1"/></noscript>');
    expect(waiting.body).toContain('Étape : En attente');
    expect(waiting.body).toMatch(/<progress id="avancement"/);
    expect(waiting.body).toContain('<script src="/static/import-suivi.js" defer>');
    release();
    await held;
    await importsDone();
    const done = await admin.get(url);
    expect(done.body).toContain('<h1>Import terminé</h1>');
    expect(done.body).not.toContain('http-equiv="refresh"');
    expect(done.body).toContain('0 territoire ajouté, 20 modifiés, 0 inchangé.');
    expect(done.body).toMatch(/<th scope="row">Modifiés<\/th>\s*<td class="number">20<\/td>/);
    expect(uploads()).toBe(baseline);
    const history = await admin.get('/admin/imports');
    expect(history.body).toContain(`<a href="${url}">qpv2015_paris.geojson</a>`);
    expect(history.body).toContain('<td>alice@exemple.fr</td>');
    expect(history.body).toContain('<span class="badge badge-success">Terminé</span>');
  });

  it('shows a refused file with its line and column, and that nothing was changed', async () => {
    await admin.get('/admin/imports');
    const csv = 'id;numero;rep;nom_voie;code_postal;code_insee;lon;lat\na;1;;Rue Pajol;75018;75118;2.36;48.88\nb;2;;Rue Pajol;75018;75118;2.36;48,86x\n';
    const res = await postMultipart(admin, { type: 'adresses' }, { name: 'adresses-75.csv', content: csv });
    expect(res.statusCode).toBe(303);
    await importsDone();
    const page = await admin.get(res.headers.location as string);
    expect(page.body).toContain("<h1>Échec de l'import</h1>");
    expect(page.body).toContain("Ligne 3, colonne lat : « 48,86x » n'est pas un nombre.");
    expect(page.body).toContain('<li>Ligne : 3</li>');
    expect(page.body).toContain('<li>Colonne : lat</li>');
    expect(page.body).toContain("<strong>Aucune donnée n'a été modifiée.</strong>");
    expect(uploads()).toBe(baseline);
  });

  it('answers 404 for a run that does not exist', async () => {
    expect((await admin.get('/admin/imports/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await admin.get('/admin/imports/pas-un-id')).statusCode).toBe(404);
  });
});
