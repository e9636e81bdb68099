import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { loadConfig } from '../../config.ts';
import { openDatabase, type Database } from './connect.ts';
import { migrate } from './migrate.ts';

// Database tests run on PGlite always, and on PostgreSQL 15 too when TEST_DATABASE_URL is set (CI sets it).

export type DatabaseKind = 'pglite' | 'postgres';

export function testDatabaseKinds(): DatabaseKind[] {
  return loadConfig().testDatabaseUrl ? ['pglite', 'postgres'] : ['pglite'];
}

/** A fresh, migrated database: in-memory PGlite, or a new database on the test PostgreSQL server, dropped on close. */
export async function openTestDatabase(kind: DatabaseKind): Promise<Database> {
  if (kind === 'pglite') {
    const database = await openDatabase({ memory: true });
    await migrate(database);
    return database;
  }
  const adminUrl = loadConfig().testDatabaseUrl;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL est requis pour les tests sur PostgreSQL');
  const name = `pilotis_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  await migrate(database);
  return {
    ...database,
    close: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      // The pool has ended its clients; a plain drop waits for none. Force only if one lingers.
      await a.query(`drop database if exists ${name}`).catch(() => a.query(`drop database if exists ${name} with (force)`));
      await a.end();
    },
  };
}

/** Runs a suite once per available database kind. */
export function describeEachDatabase(name: string, suite: (kind: DatabaseKind) => void): void {
  for (const kind of testDatabaseKinds()) {
    describe(`${name} [${kind}]`, () => suite(kind));
  }
}
