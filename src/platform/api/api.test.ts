import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../db/testing.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../../test/app.ts';
import { TestClient } from '../../../test/http-client.ts';
import { loadConfig } from '../../config.ts';
import { modules, appContext } from '../../server.ts';
import { SYSTEM } from '../../defaults.ts';
import { listTerritoires } from '../../territoires/store.ts';
import { buildApp } from '../http/app.ts';
import { createApiToken, revokeApiToken } from '../auth/tokens-store.ts';
import { z } from '../validation.ts';
import { defineEndpoint, registeredOperations } from './openapi.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

// A module of the test only: a POST endpoint and a validated query, declared through the registry.
const echoModule: FastifyPluginAsync = async (app) => {
  defineEndpoint(app, {
    method: 'POST',
    path: '/api/v1/essai/echo',
    summary: 'Renvoie le nombre reçu (essai)',
    tag: 'Essai',
    policy: 'compte.gerer',
    body: z.object({ nombre: z.number().int() }),
    response: z.object({ nombre: z.number(), par: z.string() }),
    handler: async ({ body }, req) => ({ nombre: body.nombre, par: req.actor!.email }),
  });
  defineEndpoint(app, {
    method: 'GET',
    path: '/api/v1/essai/pages',
    summary: 'Une page de résultats (essai)',
    tag: 'Essai',
    policy: 'portail.voir',
    query: z.object({ page: z.coerce.number().int().min(1) }),
    response: z.object({ page: z.number() }),
    handler: async ({ query }) => ({ page: query.page, secret: 'jamais renvoyé' }),
  });
};

describeEachDatabase('JSON API', (kind) => {
  let t: TestApp;
  let token: string;
  let revoked: string;
  let arr18: string;

  beforeAll(async () => {
    t = await startTestApp(kind);
    arr18 = (await listTerritoires(t.database.db, t.contrat.id)).find((x) => x.code === '75118')!.id;
    const claire = await accountWithRole(t, 'claire@exemple.fr', 'agent_territorial', { kind: 'territoire', ref: arr18 });
    token = (await createApiToken(t.database.db, SYSTEM, claire.id, 'Tableur')).token;
    const old = await createApiToken(t.database.db, SYSTEM, claire.id, 'Ancien script');
    await revokeApiToken(t.database.db, SYSTEM, claire.id, old.row.id);
    revoked = old.token;
  });
  afterAll(() => t.close());

  describe('the OpenAPI document', () => {
    it('is an OpenAPI 3.1 document with the bearer scheme and every registered operation', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const doc = res.json();
      expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
      expect(doc.info).toMatchObject({ title: 'API Pilotis', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
      expect(doc.servers).toEqual([{ url: t.app.ctx.config.publicUrl }]);
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(doc.security).toEqual([{ bearer: [] }]);

      const operations = registeredOperations(t.app);
      expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(
        expect.arrayContaining(['GET /api/v1/moi', 'GET /api/v1/contrats', 'GET /healthz']),
      );
      for (const op of operations) {
        const path = op.path.replace(/:(\w+)/g, '{$1}');
        const entry = doc.paths[path]?.[op.method.toLowerCase()];
        expect(entry, `${op.method} ${op.path}`).toBeDefined();
        expect(entry.summary).toBe(op.summary);
        // Every documented operation is a route the app really answers.
        expect(t.app.hasRoute({ method: op.method, url: op.path })).toBe(true);
      }
    });

    it('says which operations need a token and describes their answers', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      const moi = doc.paths['/api/v1/moi'].get;
      expect(moi.security).toBeUndefined();
      expect(moi.responses['401'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Erreur' });
      expect(Object.keys(moi.responses['200'].content['application/json'].schema.properties)).toEqual(['id', 'email', 'displayName', 'roles']);
      expect(doc.paths['/api/v1/contrats'].get.security).toEqual([]);
      expect(doc.paths['/healthz'].get.responses['503']).toBeDefined();
      expect(doc.components.schemas.Erreur.required).toEqual(['erreur', 'message']);
    });
  });

  describe('GET /api/v1/moi', () => {
    it('returns the caller of a valid token, with roles and their scope', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/moi', headers: bearer(token) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({
        id: expect.any(String),
        email: 'claire@exemple.fr',
        displayName: 'claire',
        roles: [
          {
            role: 'agent_territorial',
            libelle: 'Agent territorial',
            contratId: t.contrat.id,
            portee: { type: 'territoire', id: arr18, libelle: expect.stringContaining('(75118)') },
          },
        ],
      });
    });

    it('answers 401 in JSON to a revoked token, an unknown token, and an anonymous caller', async () => {
      for (const headers of [bearer(revoked), bearer(`pil_${'A'.repeat(43)}`), {}]) {
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/moi', headers });
        expect(res.statusCode).toBe(401);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.json()).toEqual({ erreur: 'Authentification requise', message: expect.any(String) });
      }
    });

    it('also answers a browser signed in with its session cookie', async () => {
      const c = new TestClient(t.app);
      await c.signIn('claire@exemple.fr', TEST_PASSWORD);
      const res = await c.get('/api/v1/moi');
      expect(res.statusCode).toBe(200);
      expect(res.json().email).toBe('claire@exemple.fr');
    });
  });

  it('lists the contracts publicly, the default one included', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/contrats' });
    expect(res.statusCode).toBe(200);
    const { contrats } = res.json();
    expect(contrats).toContainEqual({
      id: t.contrat.id,
      slug: t.contrat.slug,
      nom: t.contrat.nom,
      debut: t.contrat.debut,
      fin: t.contrat.fin,
      parDefaut: true,
    });
    expect(contrats[0].debut).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('answers an unknown API address with a JSON 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/x', headers: bearer(token) });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ erreur: expect.any(String), message: expect.any(String) });
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/x' });
    expect(anonymous.statusCode).toBe(404);
    expect(anonymous.json().erreur).toBeTruthy();
  });

  describe('writes through the API', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', COOKIE_SECRET: 'x'.repeat(40) });
      app = await buildApp({ ...appContext(config, t.database), modules: [...modules, echoModule], logger: false });
      await app.ready();
    });
    afterAll(() => app.close());

    it('documents an endpoint declared by another module', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      const echo = doc.paths['/api/v1/essai/echo'].post;
      expect(echo.requestBody.content['application/json'].schema.properties.nombre.type).toBe('integer');
      expect(doc.paths['/api/v1/essai/pages'].get.parameters).toEqual([
        expect.objectContaining({ name: 'page', in: 'query', required: true, schema: expect.objectContaining({ type: 'integer', minimum: 1 }) }),
      ]);
    });

    it('takes a POST with a bearer token without a CSRF token', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/essai/echo', headers: bearer(token), payload: { nombre: 7 } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ nombre: 7, par: 'claire@exemple.fr' });
    });

    it('refuses a POST made with the session cookie but no CSRF token', async () => {
      const c = new TestClient(app);
      await c.signIn('claire@exemple.fr', TEST_PASSWORD);
      const res = await c.request({ method: 'POST', url: '/api/v1/essai/echo', payload: { nombre: 7 } });
      expect(res.statusCode).toBe(403);
      expect(res.json().erreur).toBe('Accès refusé');
      const withToken = await c.request({ method: 'POST', url: '/api/v1/essai/echo', payload: { nombre: 7 }, headers: { 'x-csrf-token': c.csrf! } });
      expect(withToken.statusCode).toBe(200);
    });

    it('answers invalid input with 400 and a French message per field', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/essai/echo', headers: bearer(token), payload: { nombre: 'sept' } });
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body).toMatchObject({ erreur: 'Requête invalide', message: 'Les données envoyées ne sont pas valides.' });
      expect(body.details).toEqual([{ champ: 'nombre', message: expect.stringMatching(/nombre/i) }]);

      const query = await app.inject({ method: 'GET', url: '/api/v1/essai/pages?page=0' });
      expect(query.statusCode).toBe(400);
      expect(query.json().details).toEqual([{ champ: 'page', message: expect.any(String) }]);
    });

    it('sends only the fields the response schema declares', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/essai/pages?page=2' });
      expect(res.json()).toEqual({ page: 2 });
    });
  });
});
