import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/platform/db/connect.ts';
import { openTestDatabase, type DatabaseKind } from '../src/platform/db/testing.ts';
import { createAccount, grantRole } from '../src/platform/auth/store.ts';
import type { Role, ScopeKind } from '../src/platform/auth/policy.ts';
import type { ContratRow } from '../src/platform/tenancy/store.ts';
import { loadDefaultContrat, SYSTEM } from '../src/defaults.ts';
import { createServer } from '../src/server.ts';

export type TestApp = { app: FastifyInstance; database: Database; contrat: ContratRow; close(): Promise<void> };

/** The real app on a fresh database with the default contract, as production would run it (no demo accounts). */
export async function startTestApp(kind: DatabaseKind, env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', COOKIE_SECRET: 'x'.repeat(40), ...env });
  const database = await openTestDatabase(kind);
  const contrat = await loadDefaultContrat(database.db);
  const app = await createServer(config, database, { logger: false });
  await app.ready();
  return {
    app,
    database,
    contrat,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export const TEST_PASSWORD = 'un mot de passe de test';

/** An account with one role, created through the stores as an admin would. Shared by the HTTP tests and the browser journeys. */
export async function accountWithRole(
  t: Pick<TestApp, 'database' | 'contrat'>,
  email: string,
  role: Role | null,
  scope: { kind: ScopeKind; ref: string } | null = null,
) {
  const row = await createAccount(t.database.db, SYSTEM, { email, displayName: email.split('@')[0]!, password: TEST_PASSWORD });
  if (role) {
    await grantRole(t.database.db, SYSTEM, {
      accountId: row.id,
      contratId: t.contrat.id,
      role,
      scopeKind: scope?.kind ?? null,
      scopeRef: scope?.ref ?? null,
    });
  }
  return row;
}
