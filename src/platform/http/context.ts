import type { Config } from '../../config.ts';
import type { Database, Db } from '../db/connect.ts';
import type { Action, Actor, ScopeKind } from '../auth/policy.ts';
import type { ContratRow } from '../tenancy/store.ts';

/** What a role can be narrowed to: the modules that own territories and organisations list them. */
export type ScopeOption = { id: string; label: string; group?: string };
export type ScopeDirectory = Record<ScopeKind, (db: Db, contratId: string) => Promise<ScopeOption[]>>;

/**
 * What modules offer each other at run time (a module may read another's model.ts, never its store):
 * each module declares its entry by augmenting this interface in its model.ts, and the composition
 * root (src/server.ts) provides it.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AppServices {}

export type AppContext = {
  config: Config;
  database: Database;
  db: Db;
  scopes: ScopeDirectory;
  services: AppServices;
};

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    actor: Actor | null;
    contrat: ContratRow;
    /** How the request was authenticated: a browser session cookie, an API token, or not at all. */
    authMethod: 'session' | 'token' | 'anonyme';
    sessionSecret: string | undefined;
    flash: string | undefined;
  }
  interface FastifyReply {
    flash(message: string): FastifyReply;
  }
  interface FastifyContextConfig {
    /**
     * The policy action a route requires before its handler runs. Every route declares one
     * (the app refuses to start otherwise); handlers add resource checks with `authorize`.
     */
    policy?: Action;
  }
}
