import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config.ts';
import { openFromConfig, prepare, createServer } from './server.ts';
import { describeEachDatabase, openTestDatabase } from './platform/db/testing.ts';
import type { Database } from './platform/db/connect.ts';
import { listAccounts } from './platform/auth/store.ts';
import { listOrganisations } from './contrat/store.ts';
import { listTerritoires } from './territoires/store.ts';
import { listAudit } from './platform/audit/store.ts';
import { auditFilterSchema } from './platform/audit/model.ts';
import { DEMO_PASSWORD } from './platform/auth/demo.ts';
import { TestClient } from '../test/http-client.ts';

describeEachDatabase('starting Pilotis', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database.close());

  it('registers the Paris contract as the default contract, with its signatories and their source lines', async () => {
    const { contrat } = await prepare(database, loadConfig({ NODE_ENV: 'test' }));
    expect(contrat).toMatchObject({ slug: 'paris-2015-2020', nom: 'Contrat de ville parisien 2015-2020', parDefaut: true });
    const organisations = await listOrganisations(database.db, contrat.id);
    const caf = organisations.find((o) => o.nom === 'CAF de Paris');
    expect(caf).toMatchObject({ type: 'signataire', source: 'seed 002 l.310' });
    const territoires = await listTerritoires(database.db, contrat.id);
    expect(territoires.filter((t) => t.type === 'arrondissement').map((t) => t.code)).toContain('75118');
  });

  it('can be started again without duplicating anything', async () => {
    const cfg = loadConfig({ NODE_ENV: 'test' });
    const first = await prepare(database, cfg);
    const orgs = (await listOrganisations(database.db, first.contrat.id)).length;
    const again = await prepare(database, cfg);
    expect(again.contrat.id).toBe(first.contrat.id);
    expect((await listOrganisations(database.db, first.contrat.id)).length).toBe(orgs);
  });

  it('creates one demonstration account per role in development, and disables them all in production', async () => {
    const dev = await prepare(database, loadConfig({ NODE_ENV: 'development' }));
    expect(dev.demo.map((d) => d.role)).toEqual([
      'admin',
      'direction_projet',
      'agent_territorial',
      'referent_partenaire',
      'association',
      'membre_conseil_citoyen',
    ]);
    expect(dev.demo.find((d) => d.role === 'agent_territorial')?.scopeLabel).toBe('18e arrondissement (75118)');
    const app = await createServer(loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent' }), database, { logger: false });
    const c = new TestClient(app);
    expect((await c.signIn('admin@demo.pilotis.local', DEMO_PASSWORD)).headers.location).toBe('/');

    const prod = await prepare(database, loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: 'p'.repeat(32) }));
    expect(prod.demo).toEqual([]);
    expect(prod.demoDisabled).toBe(6);
    expect((await listAccounts(database.db)).filter((a) => a.isDemo && a.active)).toEqual([]);
    const refused = await new TestClient(app).signIn('admin@demo.pilotis.local', DEMO_PASSWORD);
    expect(refused.statusCode).toBe(401);
    const audit = await listAudit(database.db, auditFilterSchema.parse({ objet: 'admin@demo.pilotis.local' }));
    expect(audit.rows.map((r) => r.action)).toContain('desactivation-demo');
    await app.close();
  });

  it('answers /healthz with the kind of database', async () => {
    const app = await createServer(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database, { logger: false });
    const res = await app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ statut: 'ok', base: kind });
    await app.close();
  });
});

describe('the embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pilotis-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its data in PILOTIS_DATA_DIR across restarts', async () => {
    const cfg = loadConfig({ NODE_ENV: 'test', PILOTIS_DATA_DIR: join(dir, 'nested', 'data') });
    const first = await openFromConfig(cfg);
    expect(first.kind).toBe('pglite');
    const { contrat } = await prepare(first, cfg);
    await first.close();
    const second = await openFromConfig(cfg);
    const { contrat: again } = await prepare(second, cfg);
    expect(again.id).toBe(contrat.id);
    await second.close();
  });
});
