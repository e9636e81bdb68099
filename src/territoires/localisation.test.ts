import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { startTestApp, type TestApp } from '../../test/app.ts';
import { TestClient } from '../../test/http-client.ts';
import { decodeEntities } from '../../test/html.ts';
import { adresseDeTest, chargerAdresses, chargerContours, zonesDuFichier } from '../../test/geo-load.ts';
import { territoire } from './schema.ts';
import { invalidateLocator } from './locator.ts';

// The public lookup page and the API, on both databases, with the real contours and BAN rows.

const texte = (html: string) => decodeEntities(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

describeEachDatabase('address → QPV: the public page and the API', (kind) => {
  let t: TestApp;
  let noms: Map<string, string>;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await chargerContours(t.database.db, t.contrat.id);
    await chargerAdresses(t.database.db, t.contrat.id, adresseDeTest);
    invalidateLocator(t.contrat.id);
    const qpv = await t.database.db.select().from(territoire).where(eq(territoire.type, 'qpv'));
    noms = new Map(qpv.map((q) => [q.code, q.nom]));
  });
  afterAll(() => t.close());

  describe('the page /quartiers/adresse', () => {
    it('shows the question, a labelled field with an example, and no answer before a search', async () => {
      const res = await new TestClient(t.app).get('/quartiers/adresse');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<h1>Cette adresse est-elle en quartier prioritaire ?</h1>');
      expect(res.body).toMatch(/<form method="get" action="\/quartiers\/adresse"/);
      expect(res.body).toContain('<label for="champ-adresse">Adresse</label>');
      expect(texte(res.body)).toContain('par exemple : 12 rue de la Chapelle, 75018 Paris');
      expect(res.body).not.toContain('reponse-titre');
    });

    it.each([
      ['6S1 Avenue Joseph Bédier', 'QP075001'],
      ['1 rue Émile Blémont, 75018 Paris', 'QP075009'],
      ['10 rue de la Solidarité 75019', 'QP075016'],
    ])('answers yes for %s, with the matched address, arrondissement, IRIS and a map', async (adresse, code) => {
      const res = await new TestClient(t.app).get(`/quartiers/adresse?adresse=${encodeURIComponent(adresse)}`);
      expect(res.statusCode).toBe(200);
      const body = texte(res.body);
      expect(body).toContain(`Oui, cette adresse est dans le quartier prioritaire ${noms.get(code)} (${code})`);
      expect(body).toContain('Adresse exacte de la Base Adresse Nationale');
      expect(body).toMatch(/Arrondissement \S+ arrondissement \(751\d\d\)/);
      expect(body).toMatch(/IRIS .+ \(751\d{6}\)/);
      expect(res.body).toContain('role="img"');
      expect(res.body).toContain(`data-code="${code}"`);
      expect(body).toMatch(/Carte centrée sur la position retenue, .+ de côté\. La position est à l’intérieur du quartier prioritaire/);
      // The address typed is kept in the field.
      expect(decodeEntities(res.body)).toContain(`value="${adresse}"`);
    });

    it('answers no for an address far from any QPV', async () => {
      const res = await new TestClient(t.app).get('/quartiers/adresse?adresse=2+rue+des+Rosiers+75004+Paris');
      const body = texte(res.body);
      expect(body).toContain('Non, cette adresse n’est dans aucun quartier prioritaire du contrat');
      expect(body).toContain('2 Rue des Rosiers, 75004 Paris');
      expect(body).toContain('4e arrondissement (75104)');
    });

    it('answers incertain a few metres from an edge, with the reason', async () => {
      const res = await new TestClient(t.app).get('/quartiers/adresse?adresse=3+rue+Marcadet+75018');
      const body = texte(res.body);
      expect(body).toMatch(new RegExp(`Incertain : À \\d+ m de la limite du quartier ${noms.get('QP075012')} \\(côté intérieur\\) : vérifiez sur la carte\\.`));
      expect(body).toMatch(/Limite de quartier la plus proche .+ \(QP075012\), à \d+ m/);
    });

    it('answers introuvable with suggestions as links', async () => {
      const res = await new TestClient(t.app).get('/quartiers/adresse?adresse=1+rue+imaginaire+des+lilas');
      expect(res.statusCode).toBe(200);
      const body = texte(res.body);
      expect(body).toContain('Adresse introuvable');
      expect(body).toContain('Aucune voie « rue imaginaire des lilas » dans la base d’adresses.');
      expect(res.body).toContain(`href="/quartiers/adresse?adresse=${encodeURIComponent('1 Rue des Lilas, 75019 Paris')}"`);
    });

    it('refuses an empty or too long address with the error summary, keeping what was typed', async () => {
      const empty = await new TestClient(t.app).get('/quartiers/adresse?adresse=');
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain('class="error-summary"');
      expect(texte(empty.body)).toContain('Adresse : Saisissez une adresse.');
      const long = await new TestClient(t.app).get(`/quartiers/adresse?adresse=${'a'.repeat(301)}`);
      expect(long.statusCode).toBe(400);
      expect(texte(long.body)).toContain('L’adresse est trop longue (300 caractères au plus).');
      expect(long.body).toContain(`value="${'a'.repeat(301)}"`);
    });
  });

  describe('GET /api/v1/territoires/localiser', () => {
    const api = (q: string) => t.app.inject({ method: 'GET', url: `/api/v1/territoires/localiser?${q}` });

    it('answers an address in a QPV with the whole localisation', async () => {
      const res = await api('adresse=6S1%20Avenue%20Joseph%20B%C3%A9dier');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        statut: 'qpv',
        qpv: { code: 'QP075001', nom: noms.get('QP075001') },
        qpvProche: null,
        arrondissement: { code: '75113', nom: expect.any(String) },
        iris: { code: expect.stringMatching(/^75113/), nom: expect.any(String) },
        point: { lon: 2.373424, lat: 48.821026 },
        correspondance: { methode: 'adresse_exacte', adresse: '6S1 Avenue Joseph Bédier, 75013 Paris', banId: '75113_es2lve_00006_s1' },
        motif: null,
      });
    });

    it('answers points: inside, outside, near an edge', async () => {
      expect((await api('lat=48.821213&lon=2.377233')).json()).toMatchObject({ statut: 'qpv', qpv: { code: 'QP075001' }, correspondance: { methode: 'coordonnees' } });
      expect((await api('lat=48.853&lon=2.3499')).json()).toMatchObject({ statut: 'hors_qpv', qpv: null, arrondissement: { code: '75104' } });
      // 5 m east of a vertex of the Bédier - Boutroux contour.
      const ring = (zonesDuFichier('qpv').find((z) => z.code === 'QP075001')!.geometry.coordinates as [number, number][][])[0]!;
      const [vx, vy] = ring[Math.floor(ring.length / 3)]!;
      const near = (await api(`lat=${vy}&lon=${vx + 5 / (111_195 * Math.cos((vy * Math.PI) / 180))}`)).json();
      expect(near).toMatchObject({ statut: 'incertain', qpv: null, qpvProche: { code: 'QP075001' } });
      expect(near.qpvProche.distanceMetres).toBeLessThanOrEqual(5.1);
      expect(near.motif).toMatch(/^À \d m de la limite du quartier .+ : vérifiez sur la carte\.$/);
      const marcadet = (await api('adresse=3%20rue%20Marcadet%2075018')).json();
      expect(marcadet).toMatchObject({ statut: 'incertain', qpv: null, qpvProche: { code: 'QP075012', distanceMetres: expect.any(Number) } });
      expect(marcadet.motif).toMatch(/^À \d+ m de la limite du quartier/);
      // A comma as decimal separator is read too.
      expect((await api('lat=48,821213&lon=2,377233')).json()).toMatchObject({ statut: 'qpv' });
    });

    it('answers 404 introuvable with suggestions for an unknown street', async () => {
      const res = await api('adresse=1%20rue%20imaginaire%20des%20lilas');
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ statut: 'introuvable', motif: 'Aucune voie « rue imaginaire des lilas » dans la base d’adresses.', suggestions: expect.arrayContaining(['1 Rue des Lilas, 75019 Paris']) });
    });

    it.each([
      ['lat=91&lon=2.35', 'lat', 'La latitude doit être comprise entre -90 et 90.'],
      ['lat=48.8&lon=200', 'lon', 'La longitude doit être comprise entre -180 et 180.'],
      ['lat=abc&lon=2.35', 'lat', 'La latitude doit être un nombre (point ou virgule pour les décimales).'],
      ['lat=48.8', 'lon', 'La latitude et la longitude vont ensemble : donnez les deux.'],
      ['', '(ensemble)', 'Donnez une adresse (adresse=…) ou des coordonnées (lat=…&lon=…).'],
      ['adresse=12%20rue%20Ordener&lat=48.8&lon=2.3', '(ensemble)', 'Donnez soit une adresse, soit des coordonnées (lat et lon), pas les deux.'],
      ['adresse=ab', 'adresse', 'L’adresse est trop courte : indiquez au moins la voie.'],
    ])('refuses %s with a French detail', async (q, champ, message) => {
      const res = await api(q);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ erreur: 'Requête invalide', details: [{ champ, message }] });
    });

    it('is documented in the OpenAPI document, with its 404 answer', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      const op = doc.paths['/api/v1/territoires/localiser'].get;
      expect(op.security).toEqual([]);
      expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(['adresse', 'lat', 'lon']);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '503']));
      expect(op.responses['200'].content['application/json'].schema.properties.statut.enum).toEqual(['qpv', 'hors_qpv', 'incertain']);
      expect(op.responses['404'].content['application/json'].schema.properties.suggestions.type).toBe('array');
    });
  });
});

describeEachDatabase('address → QPV before the geography is imported', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  it('says the geography is not loaded instead of answering hors_qpv, on the page and in the API', async () => {
    const page = await new TestClient(t.app).get('/quartiers/adresse?adresse=12+rue+de+la+Chapelle');
    expect(page.statusCode).toBe(503);
    const body = texte(page.body);
    expect(body).toContain('Réponse impossible pour l’instant');
    expect(body).toContain('La géographie prioritaire n’est pas encore chargée');
    expect(body).not.toContain('Non, cette adresse');
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/territoires/localiser?lat=48.85&lon=2.35' });
    expect(api.statusCode).toBe(503);
    expect(api.json().message).toMatch(/^La géographie prioritaire n’est pas encore chargée/);
  });

  it('answers once the contours are imported, but says the address base is missing', async () => {
    await chargerContours(t.database.db, t.contrat.id, ['qpv', 'arrondissements']);
    invalidateLocator(t.contrat.id);
    const point = await t.app.inject({ method: 'GET', url: '/api/v1/territoires/localiser?lat=48.821213&lon=2.377233' });
    expect(point.json()).toMatchObject({ statut: 'qpv', qpv: { code: 'QP075001' }, iris: null });
    const adresse = await t.app.inject({ method: 'GET', url: '/api/v1/territoires/localiser?adresse=12%20rue%20de%20la%20Chapelle' });
    expect(adresse.statusCode).toBe(503);
    expect(adresse.json().message).toMatch(/^La base d’adresses n’est pas encore importée/);
  });
});
