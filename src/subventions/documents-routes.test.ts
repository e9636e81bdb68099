import { afterAll, beforeAll, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/app.ts';
import { TestClient, type Response } from '../../test/http-client.ts';
import { decodeEntities } from '../../test/html.ts';
import { SYSTEM } from '../defaults.ts';
import { auditLog } from '../platform/audit/schema.ts';
import { campagneAap, documentStructure, dossier } from './schema.ts';
import { inscrireAssociation } from './structure-store.ts';
import { inscriptionSchema } from './structure-form.ts';
import { localisationDe } from './structure-model.ts';
import { aujourdhuiParis } from './acces.ts';

// The association's documents: upload checked by content, validity, withdrawal, and who may download one.

const texte = (html: string) => decodeEntities(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
/** The required documents the page says are missing, in order. */
const manquants = (html: string) => [...(/qui manquent aujourd’hui[\s\S]*?<\/ul>/.exec(decodeEntities(html))?.[0] ?? '').matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** Posts a multipart form as a browser does: the CSRF field first, then the fields, then the file. */
function deposer(c: TestClient, fields: Record<string, string>, fichier: { nom: string; type: string; octets: Buffer } | null): Promise<Response> {
  const limite = '----pilotis-test';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries({ _csrf: c.csrf ?? '', ...fields })) {
    parts.push(Buffer.from(`--${limite}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (fichier) {
    parts.push(Buffer.from(`--${limite}\r\nContent-Disposition: form-data; name="fichier"; filename="${fichier.nom}"\r\nContent-Type: ${fichier.type}\r\n\r\n`), fichier.octets, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${limite}--\r\n`));
  return c.request({ method: 'POST', url: '/structure/documents', payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${limite}` } });
}

describeEachDatabase('subventions: the documents of an association', (kind) => {
  let t: TestApp;
  let amis: TestClient;
  let voisins: TestClient;
  let organisationId: string;
  const jour = aujourdhuiParis();
  const annee = Number(jour.slice(0, 4));

  async function inscrire(nomAssociation: string, email: string, siret: string): Promise<string> {
    const saisie = inscriptionSchema.parse({ prenom: 'Awa', nom: 'Diallo', email, motDePasse: TEST_PASSWORD, confirmation: TEST_PASSWORD, nomAssociation, siret, rna: '', adresse: '12 rue Pajol, 75018 Paris' });
    const r = await inscrireAssociation(t.database.db, SYSTEM, { contratId: t.contrat.id, saisie, localisation: localisationDe(null) });
    if (!r.ok) throw new Error(r.message);
    return r.organisationId;
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    organisationId = await inscrire('Les Amis de la Chapelle', 'awa@amis.fr', '12345678200010');
    await inscrire('Les Voisins de Pajol', 'lea@voisins.fr', '12345679000013');
    amis = new TestClient(t.app);
    await amis.signIn('awa@amis.fr', TEST_PASSWORD);
    voisins = new TestClient(t.app);
    await voisins.signIn('lea@voisins.fr', TEST_PASSWORD);
  });
  afterAll(() => t.close());

  it('lists the four required documents as missing before any upload', async () => {
    const res = await amis.get('/structure/documents');
    expect(res.statusCode).toBe(200);
    expect(manquants(res.body)).toEqual(['Statuts en vigueur, datés et signés', 'Relevé d’identité bancaire (RIB)', 'Derniers comptes approuvés', 'Dernier rapport d’activité approuvé']);
    expect(texte(res.body)).toContain('Aucune pièce déposée pour l’instant.');
  });

  it('refuses a file that is not a PDF, a JPEG or a PNG, even named .pdf, and keeps the values typed', async () => {
    await amis.get('/structure/documents');
    const res = await deposer(amis, { type: 'statuts', valideDu: '', valideJusquAu: `${annee + 1}-12-31` }, { nom: 'statuts.pdf', type: 'application/pdf', octets: Buffer.from('MZ\x90\x00 un programme, pas un PDF') });
    expect(res.statusCode).toBe(400);
    expect(texte(res.body)).toContain('Fichier : Ce fichier n’est ni un PDF, ni une image JPEG ou PNG');
    expect(res.body).toContain(`value="${annee + 1}-12-31"`);
    expect(res.body).toMatch(/<option value="statuts" selected/);
    expect(await t.database.db.select().from(documentStructure)).toEqual([]);
  });

  it('refuses an upload without the form’s CSRF token', async () => {
    await amis.get('/structure/documents');
    const res = await deposer(amis, { _csrf: 'pas-le-bon', type: 'statuts' }, { nom: 'statuts.pdf', type: 'application/pdf', octets: PDF });
    expect(res.statusCode).toBe(403);
    expect(await t.database.db.select().from(documentStructure)).toEqual([]);
  });

  it('refuses a validity that ends before it starts, and a missing file', async () => {
    await amis.get('/structure/documents');
    const res = await deposer(amis, { type: 'rib', valideDu: `${annee}-06-01`, valideJusquAu: `${annee}-01-01` }, null);
    expect(res.statusCode).toBe(400);
    const body = texte(res.body);
    expect(body).toContain('Valable jusqu’au : La fin de validité doit être le même jour que le début ou après.');
    expect(body).toContain('Fichier : Choisissez le fichier à déposer.');
  });

  it('accepts a scan of a few Mo, and refuses a file over 5 Mo with its limit', async () => {
    await amis.get('/structure/documents');
    const gros = (taille: number) => Buffer.concat([PDF, Buffer.alloc(taille - PDF.length, 0x20)]);
    const trop = await deposer(amis, { type: 'comptes', valideDu: '', valideJusquAu: '' }, { nom: 'comptes.pdf', type: 'application/pdf', octets: gros(5 * 1024 * 1024 + 1) });
    expect(trop.statusCode).toBe(400);
    expect(texte(trop.body)).toContain('Fichier : Le fichier dépasse 5 Mo');
    const scan = await deposer(amis, { type: 'comptes', valideDu: '', valideJusquAu: '' }, { nom: 'comptes.pdf', type: 'application/pdf', octets: gros(3 * 1024 * 1024) });
    expect(scan.statusCode).toBe(303);
    const [doc] = await t.database.db.select().from(documentStructure);
    expect(doc!.taille).toBe(3 * 1024 * 1024);
    await t.database.db.delete(documentStructure);
  });

  it('accepts a PDF with its validity: listed as valid, no longer missing, audited without its content', async () => {
    await amis.get('/structure/documents');
    const res = await deposer(amis, { type: 'statuts', valideDu: '', valideJusquAu: `${annee + 1}-12-31` }, { nom: 'Statuts signés.pdf', type: 'application/pdf', octets: PDF });
    expect(res.statusCode).toBe(303);
    const page = await amis.get('/structure/documents');
    const body = texte(page.body);
    expect(body).toContain('Statuts signés.pdf');
    expect(body).toContain(`Valable jusqu’au 31 décembre ${annee + 1}`);
    expect(body).toContain('par Awa Diallo');
    expect(manquants(page.body)).toEqual(['Relevé d’identité bancaire (RIB)', 'Derniers comptes approuvés', 'Dernier rapport d’activité approuvé']);
    const [doc] = await t.database.db.select().from(documentStructure);
    expect(doc).toMatchObject({ organisationId, type: 'statuts', typeMime: 'application/pdf', taille: PDF.length, valideDu: null, valideJusquAu: `${annee + 1}-12-31` });
    const [entree] = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'depot-document'));
    expect(JSON.stringify(entree!.after)).not.toContain('contenu');
  });

  it('lets the association download its document as an attachment, and refuses another association', async () => {
    const [doc] = await t.database.db.select().from(documentStructure);
    const res = await amis.get(`/structure/documents/${doc!.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Statuts signes.pdf"; filename*=UTF-8''Statuts%20sign%C3%A9s.pdf`);
    expect(res.rawPayload.equals(PDF)).toBe(true);
    expect((await voisins.get(`/structure/documents/${doc!.id}`)).statusCode).toBe(403);
    expect((await new TestClient(t.app).get(`/structure/documents/${doc!.id}`)).statusCode).toBe(302);
  });

  it('lets the direction and the instructor of one of its submitted files download it, not an agent of another territory', async () => {
    const [doc] = await t.database.db.select().from(documentStructure);
    const qpv = (await t.app.ctx.services.territoires.lister(t.contrat.id, 'qpv')).filter((q) => q.geographie === '2015');
    const [campagne] = await t.database.db
      .insert(campagneAap)
      .values({ contratId: t.contrat.id, annee: annee + 5, titre: 'Appel à projets de test', ouverture: jour, cloture: jour })
      .returning();
    const [d] = await t.database.db
      .insert(dossier)
      .values({ contratId: t.contrat.id, campagneId: campagne!.id, organisationId, numero: 1, titre: 'Sorties culturelles', public: { nombre: 20, ages: '', femmes: null, hommes: null, partQpv: null, description: '' }, territoireIds: [qpv[0]!.id], creePar: 'test' })
      .returning();
    await accountWithRole(t, 'direction@exemple.fr', 'direction_projet');
    await accountWithRole(t, 'agent-ici@exemple.fr', 'agent_territorial', { kind: 'territoire', ref: qpv[0]!.id });
    await accountWithRole(t, 'agent-ailleurs@exemple.fr', 'agent_territorial', { kind: 'territoire', ref: qpv[1]!.id });
    const statut = async (email: string) => {
      const c = new TestClient(t.app);
      await c.signIn(email, TEST_PASSWORD);
      return (await c.get(`/structure/documents/${doc!.id}`)).statusCode;
    };
    expect(await statut('direction@exemple.fr')).toBe(200);
    // A draft is the association's own business: its instructor sees the documents once it is submitted.
    expect(await statut('agent-ici@exemple.fr')).toBe(403);
    await t.database.db.update(dossier).set({ statut: 'depose' }).where(eq(dossier.id, d!.id));
    expect(await statut('agent-ici@exemple.fr')).toBe(200);
    expect(await statut('agent-ailleurs@exemple.fr')).toBe(403);
  });

  it('withdraws a document: kept in the list as withdrawn, missing again, and only by its association', async () => {
    const [doc] = await t.database.db.select().from(documentStructure);
    await voisins.get('/structure/documents');
    expect((await voisins.post(`/structure/documents/${doc!.id}/retirer`, {})).statusCode).toBe(404);
    await amis.get('/structure/documents');
    expect((await amis.post(`/structure/documents/${doc!.id}/retirer`, {})).statusCode).toBe(303);
    const page = await amis.get('/structure/documents');
    expect(texte(page.body)).toMatch(/Statuts signés\.pdf 1 ko Retiré/);
    expect(manquants(page.body)[0]).toBe('Statuts en vigueur, datés et signés');
    const [apres] = await t.database.db.select().from(documentStructure);
    expect(apres!.retireLe).not.toBeNull();
  });
});
