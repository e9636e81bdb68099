import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../platform/db/connect.ts';
import { territoire, territoireLien } from './schema.ts';
import { GeographieNonChargee, getLocator, type GeoConfig, type Localisateur } from './locator.ts';
import type { ServiceTerritoires } from './model.ts';

/** The territoires module's answer to other modules, wired into app.ctx.services by src/server.ts. */
export function serviceTerritoires(db: Db, geo: GeoConfig): ServiceTerritoires {
  // "Not imported yet" is an answer (null), not an error: the caller tells the person so.
  async function ask<T>(contratId: string, question: (l: Localisateur) => T | Promise<T>): Promise<T | null> {
    try {
      return await question(await getLocator(db, contratId, geo));
    } catch (e) {
      if (e instanceof GeographieNonChargee) return null;
      throw e;
    }
  }
  return {
    localiserAdresse: (contratId, texte) => ask(contratId, (l) => l.localiserAdresse(texte)),
    localiserPoint: (contratId, lon, lat) => ask(contratId, (l) => l.localiserPoint(lon, lat)),
    async lister(contratId, type) {
      const rows = await db
        .select({ id: territoire.id, type: territoire.type, geographie: territoire.geographie, code: territoire.code, nom: territoire.nom })
        .from(territoire)
        .where(and(eq(territoire.contratId, contratId), eq(territoire.type, type)))
        .orderBy(asc(territoire.geographie), asc(territoire.code));
      const liens = rows.length ? await db.select().from(territoireLien).where(inArray(territoireLien.enfantId, rows.map((r) => r.id))) : [];
      return rows.map((r) => ({ ...r, parentIds: liens.filter((l) => l.enfantId === r.id).map((l) => l.parentId) }));
    },
  };
}
