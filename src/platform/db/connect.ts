import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** The handle a store receives inside `db.transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for the console: a folder or a server (password hidden). */
  location: string;
  /** PostgreSQL only: the URL, for tools that need their own connection (migrations). */
  url?: string;
  close(): Promise<void>;
};

export type DatabaseTarget = { databaseUrl: string } | { dataDir: string } | { memory: true };

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ('databaseUrl' in target) {
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 10 });
    // An idle connection closed by the server (restart, failover) must not bring the process down:
    // the pool replaces it at the next query.
    pool.on('error', (error) => console.error(`PostgreSQL : connexion inactive perdue (${error.message})`));
    // Fail at start, not at the first request, when the server is unreachable.
    const client = await pool.connect();
    client.release();
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    const url = new URL(target.databaseUrl);
    url.password = url.password ? '***' : '';
    return { db, kind: 'postgres', location: url.toString(), url: target.databaseUrl, close: () => pool.end() };
  }
  let client: PGlite;
  let location: string;
  if ('dataDir' in target) {
    const dir = resolve(target.dataDir, 'pgdata');
    // PGlite does not create missing parent folders.
    mkdirSync(dir, { recursive: true });
    client = await PGlite.create(dir);
    location = dir;
  } else {
    client = await PGlite.create();
    location = 'mémoire';
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', location, close: () => client.close() };
}
