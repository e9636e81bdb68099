import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { describeEachDatabase } from '../platform/db/testing.ts';
import type { Db } from '../platform/db/connect.ts';
import { startTestApp, type TestApp } from '../../test/app.ts';
import { TestClient, type Response } from '../../test/http-client.ts';
import { decodeEntities } from '../../test/html.ts';
import { adresseDeTest, chargerAdresses, chargerContours } from '../../test/geo-load.ts';
import { invalidateLocator } from './locator.ts';
import { MAX_OCTETS } from './geo/lot.ts';

// Batch address files over HTTP, on both databases: upload, columns, summary, result file, and
// nothing of the file left anywhere but in memory.

const texte = (html: string) => decodeEntities(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

function multipart(fields: Record<string, string>, file?: { filename: string; content: Buffer | string }) {
  const boundary = `----pilotis${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${file.filename}"\r\nContent-Type: text/csv\r\n\r\n`));
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function deposer(c: TestClient, file: { filename: string; content: Buffer | string } | undefined, but = 'lot'): Promise<Response> {
  await c.get('/quartiers/adresses/lot');
  return c.request({ method: 'POST', url: '/quartiers/adresses/lot', ...multipart({ _csrf: c.csrf!, but }, file) });
}

const MARQUE = 'Zéphyrine Témoin-Unique';
const TELEPHONE = '0611223344';
const FICHIER = [
  'Nom;Adresse;Téléphone',
  `${MARQUE};6S1 Avenue Joseph Bédier;${TELEPHONE}`,
  'Bruno;1 rue Émile Blémont, 75018 Paris;',
  'Chloé;10 rue de la Solidarité 75019;',
  'Driss;2 rue des Rosiers 75004;',
  'Emma;3 rue Marcadet 75018;',
  'Farid;1 rue imaginaire des lilas;',
  'Gaëlle;;',
].join('\r\n');

/** Rows of any table holding the text (cast to text), the audit log included. */
async function tracesOf(db: Db, needle: string): Promise<string[]> {
  const tables = (await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`)) as unknown as { rows: { table_name: string }[] };
  const found: string[] = [];
  for (const { table_name } of tables.rows) {
    const r = (await db.execute(sql.raw(`select count(*)::int as n from "${table_name}" t where t::text ilike '%${needle}%'`))) as unknown as { rows: { n: number }[] };
    if (r.rows[0]!.n > 0) found.push(table_name);
  }
  return found;
}

async function auditCount(db: Db): Promise<number> {
  const r = (await db.execute(sql`select count(*)::int as n from audit_log`)) as unknown as { rows: { n: number }[] };
  return r.rows[0]!.n;
}

describeEachDatabase('batch address files', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await chargerContours(t.database.db, t.contrat.id);
    await chargerAdresses(t.database.db, t.contrat.id, adresseDeTest);
    invalidateLocator(t.contrat.id);
  });
  afterAll(() => t.close());

  it('classifies a file: upload, columns, summary, result file, and keeps nothing of it', async () => {
    const auditBefore = await auditCount(t.database.db);
    const c = new TestClient(t.app);
    const form = await c.get('/quartiers/adresses/lot');
    expect(form.body).toContain('<h1>Vérifier un fichier d’adresses</h1>');
    expect(texte(form.body)).toContain('jamais enregistré dans la base de données ni dans le journal d’audit');
    const up = await deposer(c, { filename: 'beneficiaires.csv', content: `\uFEFF${FICHIER}` });
    expect(up.statusCode).toBe(303);
    const colonnes = await c.get(up.headers.location as string);
    expect(colonnes.statusCode).toBe(200);
    expect(texte(colonnes.body)).toContain('Fichier « beneficiaires.csv » : 7 lignes, 3 colonnes, séparateur « ; ».');
    // The address column is guessed from its name and preselected.
    expect(colonnes.body).toMatch(/<option value="1" selected>Adresse \(ex\. : 6S1 Avenue Joseph Bédier\)<\/option>/);

    const lance = await c.post(up.headers.location as string, { mode: 'complete', adresse: '1' });
    expect(lance.statusCode).toBe(303);
    const page = await c.get(lance.headers.location as string);
    expect(page.statusCode).toBe(200);
    const body = texte(page.body);
    expect(body).toContain('Résultat de la vérification');
    expect(body).toContain('42,9 % des adresses sont en quartier prioritaire (3 sur 7).');
    expect(body).toContain('En quartier prioritaire 3 42,9 %');
    expect(body).toContain('Hors quartier prioritaire 1 14,3 %');
    expect(body).toContain('Incertaines (près d’une limite ou adresse approchée) 1 14,3 %');
    expect(body).toContain('Introuvables 2 28,6 %');
    for (const code of ['QP075001', 'QP075009', 'QP075016']) expect(body).toMatch(new RegExp(`${code} 1 14,3 %`));
    expect(page.body).toContain('role="img"');

    const download = await c.get(`${lance.headers.location}/resultat.csv`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(download.headers['content-disposition']).toBe('attachment; filename="beneficiaires-quartiers.csv"');
    const lines = download.body.split('\r\n');
    expect(lines[0]).toBe('\uFEFFNom;Adresse;Téléphone;statut;qpv_code;qpv_nom;arrondissement;iris;correspondance;motif');
    expect(lines[1]).toMatch(new RegExp(`^${MARQUE};6S1 Avenue Joseph Bédier;${TELEPHONE};qpv;QP075001;[^;]+;75113;75113\\d{4};adresse exacte : 6S1 Avenue Joseph Bédier, 75013 Paris;$`));
    expect(lines[4]).toMatch(/^Driss;2 rue des Rosiers 75004;;hors_qpv;;;75104;75104\d{4};/);
    expect(lines[5]).toMatch(/^Emma;3 rue Marcadet 75018;;incertain;;;75118;75118\d{4};adresse exacte : 3 Rue Marcadet, 75018 Paris;À \d+ m de la limite du quartier/);
    expect(lines[6]).toMatch(/^Farid;1 rue imaginaire des lilas;;introuvable;;;;;;Aucune voie « rue imaginaire des lilas » dans la base d’adresses\. Suggestions : /);
    expect(lines[7]).toBe('Gaëlle;;;introuvable;;;;;;Adresse vide.');

    // Downloaded: the rows are gone, the counts stay until expiry.
    const after = texte((await c.get(lance.headers.location as string)).body);
    expect(after).toContain('Le résultat a été téléchargé : les adresses ont été effacées de la mémoire du serveur.');
    expect(after).toContain('42,9 % des adresses');
    expect((await c.get(`${lance.headers.location}/resultat.csv`)).statusCode).toBe(303);

    expect(await tracesOf(t.database.db, 'Témoin-Unique')).toEqual([]);
    expect(await tracesOf(t.database.db, TELEPHONE)).toEqual([]);
    expect(await auditCount(t.database.db)).toBe(auditBefore);

    // "Effacer maintenant" forgets the file at once.
    const erase = await c.post(`${lance.headers.location}/supprimer`, {});
    expect(erase.statusCode).toBe(303);
    expect((await c.get(lance.headers.location as string)).statusCode).toBe(404);
  });

  it('shows a file to the browser that uploaded it only', async () => {
    const c = new TestClient(t.app);
    const up = await deposer(c, { filename: 'a.csv', content: FICHIER });
    const url = up.headers.location as string;
    expect((await c.get(url)).statusCode).toBe(200);
    const other = new TestClient(t.app);
    const res = await other.get(url);
    expect(res.statusCode).toBe(404);
    expect(texte(res.body)).toContain('seul le navigateur qui l’a déposé peut le consulter');
  });

  it('reads the address from several columns of a `,` file in Windows-1252', async () => {
    const c = new TestClient(t.app);
    const content = Buffer.from('nom,numero,voie,code postal\r\nAmina,1,rue Emile Bl\u00e9mont,75018\r\nBen,2,rue des Rosiers,75004\r\n', 'latin1');
    const up = await deposer(c, { filename: 'export.csv', content });
    const colonnes = await c.get(up.headers.location as string);
    expect(texte(colonnes.body)).toContain('séparateur « , »');
    expect(colonnes.body).toContain('id="mode-parties" name="mode" value="parties" checked');
    const lance = await c.post(up.headers.location as string, { mode: 'parties', numero: '1', voie: '2', codePostal: '3', commune: '' });
    const body = texte((await c.get(lance.headers.location as string)).body);
    expect(body).toContain('50 % des adresses sont en quartier prioritaire (1 sur 2).');
  });

  it('refuses a missing file, a file too big, a header-only file, with French messages and status 400', async () => {
    const c = new TestClient(t.app);
    const none = await deposer(c, undefined);
    expect(none.statusCode).toBe(400);
    expect(texte(none.body)).toContain('Fichier CSV : Choisissez un fichier CSV.');
    const big = await deposer(c, { filename: 'gros.csv', content: Buffer.alloc(MAX_OCTETS + 10, 'a') });
    expect(big.statusCode).toBe(400);
    expect(texte(big.body)).toContain('Le fichier dépasse 5 Mo : découpez-le en plusieurs fichiers.');
    const header = await deposer(c, { filename: 'vide.csv', content: 'Adresse\r\n' });
    expect(header.statusCode).toBe(400);
    expect(texte(header.body)).toContain('aucune adresse à traiter');
  });

  it('refuses an upload without its CSRF token', async () => {
    const c = new TestClient(t.app);
    await c.get('/quartiers/adresses/lot');
    const res = await c.request({ method: 'POST', url: '/quartiers/adresses/lot', ...multipart({ _csrf: 'faux' }, { filename: 'a.csv', content: FICHIER }) });
    expect(res.statusCode).toBe(403);
  });

  it('asks again for the columns when none is chosen, keeping the choices', async () => {
    const c = new TestClient(t.app);
    const up = await deposer(c, { filename: 'a.csv', content: 'Nom;Lieu\r\nA;2 rue des Rosiers\r\n' });
    const res = await c.post(up.headers.location as string, { mode: 'complete', adresse: '', voie: '1' });
    expect(res.statusCode).toBe(400);
    expect(texte(res.body)).toContain('Colonne de l’adresse : Choisissez la colonne qui contient l’adresse.');
    expect(res.body).toMatch(/<option value="1" selected>Lieu/);
  });

  it('applies the quartier vécu rule to a file uploaded for it', async () => {
    const c = new TestClient(t.app);
    const content = ['Adresse', '6S1 Avenue Joseph Bédier', '1 rue Émile Blémont', '2 rue des Rosiers'].join('\n');
    const up = await deposer(c, { filename: 'public.csv', content }, 'quartier_vecu');
    const lance = await c.post(up.headers.location as string, { mode: 'complete', adresse: '0' });
    const body = texte((await c.get(lance.headers.location as string)).body);
    expect(body).toContain('Quartier vécu : la règle des 50 % est remplie');
    expect(body).toContain('2 personnes sur 3 habitent un quartier prioritaire, soit 66,7 %');
  });
});

describeEachDatabase('the quartier vécu page', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  it('applies the rule to counts per QPV, with the uncertain apart', async () => {
    const c = new TestClient(t.app);
    const form = await c.get('/quartiers/quartier-vecu');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<label for="champ-qpv_QP075012">');
    const yes = await c.post('/quartiers/quartier-vecu', { qpv_QP075012: '30', qpv_QP075009: '21', incertains: '4', total: '100' });
    expect(yes.statusCode).toBe(200);
    expect(texte(yes.body)).toContain('Quartier vécu : la règle des 50 % est remplie');
    expect(yes.body).toContain('value="30"');
    const undecided = await c.post('/quartiers/quartier-vecu', { qpv_QP075012: '45', incertains: '10', total: '100' });
    expect(texte(undecided.body)).toContain('Quartier vécu : résultat indéterminé');
    const no = await c.post('/quartiers/quartier-vecu', { qpv_QP075012: '1 200', total: '3 000' });
    expect(texte(no.body)).toContain('Quartier vécu : la règle des 50 % n’est pas remplie');
  });

  it('refuses counts that do not add up, in French, keeping what was typed', async () => {
    const c = new TestClient(t.app);
    await c.get('/quartiers/quartier-vecu');
    const bad = await c.post('/quartiers/quartier-vecu', { qpv_QP075012: 'douze', total: '' });
    expect(bad.statusCode).toBe(400);
    const body = texte(bad.body);
    expect(body).toContain('Saisissez un nombre entier positif ou nul.');
    expect(body).toContain('Public total : Indiquez le public total.');
    expect(bad.body).toContain('value="douze"');
    const over = await c.post('/quartiers/quartier-vecu', { qpv_QP075012: '60', total: '50' });
    expect(over.statusCode).toBe(400);
    expect(texte(over.body)).toContain('Le public total doit être au moins égal');
  });
});
