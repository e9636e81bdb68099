import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './platform/db/connect.ts';
import { migrate } from './platform/db/migrate.ts';
import { buildApp } from './platform/http/app.ts';
import type { AppContext, ScopeDirectory } from './platform/http/context.ts';
import { ensureDemoAccounts, disableDemoAccounts, type DemoAccount } from './platform/auth/demo.ts';
import { authRoutes } from './platform/auth/routes.tsx';
import { purgeExpired } from './platform/auth/store.ts';
import { oidcRoutes } from './platform/auth/oidc.tsx';
import { listOrganisations } from './contrat/store.ts';
import { listTerritoires } from './territoires/store.ts';
import { portailRoutes } from './portail/routes.tsx';
import { territoiresRoutes } from './territoires/routes.tsx';
import { contratRoutes } from './contrat/routes.tsx';
import { serviceContrat } from './contrat/service.ts';
import { engagementsRoutes } from './engagements/routes.tsx';
import { engagementPagesRoutes } from './engagements/engagement-routes.tsx';
import { bilanRoutes } from './engagements/bilan-routes.tsx';
import { campagneAapRoutes } from './subventions/campagne-routes.tsx';
import { structureRoutes } from './subventions/structure-routes.tsx';
import { demandeRoutes } from './subventions/demande-routes.tsx';
import { instructionRoutes } from './subventions/instruction-routes.tsx';
import { comiteRoutes } from './subventions/comite-routes.tsx';
import { scdlRoutes } from './subventions/scdl-routes.ts';
import { localisationRoutes } from './territoires/localisation-routes.tsx';
import { adminRoutes } from './platform/admin/routes.tsx';
import { apiRoutes } from './platform/api/routes.ts';
import { accountRoutes } from './platform/auth/account-routes.tsx';
import { serviceTerritoires } from './territoires/service.ts';
import { demoScopes, loadDefaultContrat, SYSTEM } from './defaults.ts';
import type { ContratRow } from './platform/tenancy/store.ts';
import { importGeoFolder } from './territoires/import/folder.ts';
import { importRoutes } from './territoires/import/routes.tsx';

// The composition root: the only file that knows every module.

export function openFromConfig(config: Config): Promise<Database> {
  return openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
}

export const scopeDirectory: ScopeDirectory = {
  territoire: async (db, contratId) =>
    (await listTerritoires(db, contratId)).map((t) => ({ id: t.id, label: `${t.nom} (${t.code})`, group: t.type })),
  organisation: async (db, contratId) =>
    (await listOrganisations(db, contratId)).map((o) => ({ id: o.id, label: o.nom, group: o.type })),
};

export const modules = [authRoutes, oidcRoutes, portailRoutes, accountRoutes, apiRoutes, adminRoutes, territoiresRoutes, localisationRoutes, importRoutes, contratRoutes, engagementsRoutes, bilanRoutes, engagementPagesRoutes, campagneAapRoutes, structureRoutes, demandeRoutes, instructionRoutes, comiteRoutes, scdlRoutes];

export type Prepared = { contrat: ContratRow; demo: DemoAccount[]; demoDisabled: number };

/** Migrations, the default contract, and demonstration accounts (development on a loopback address only). */
export async function prepare(database: Database, config: Config): Promise<Prepared> {
  await migrate(database);
  await purgeExpired(database.db, config.session);
  const contrat = await loadDefaultContrat(database.db);
  // Official open-data files of PILOTIS_GEO_DIR not imported yet (contours, INSEE figures, addresses).
  await importGeoFolder(database, config, contrat);
  // Demonstration accounts have a published password: anywhere but development on this machine,
  // none is created and any left over is disabled.
  if (!config.demoAccounts) {
    return { contrat, demo: [], demoDisabled: await disableDemoAccounts(database.db, SYSTEM) };
  }
  const demo = await ensureDemoAccounts(database.db, SYSTEM, contrat.id, demoScopes(database.db, contrat.id));
  return { contrat, demo, demoDisabled: 0 };
}

/** Everything the app needs but its modules: tests that mount other routes start from it. */
export function appContext(config: Config, database: Database): AppContext {
  return { config, database, db: database.db, scopes: scopeDirectory, services: { territoires: serviceTerritoires(database.db, config.geo), contrat: serviceContrat(database.db) } };
}

export function createServer(config: Config, database: Database, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  return buildApp({ ...appContext(config, database), modules, ...options });
}
