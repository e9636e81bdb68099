import type { Db } from '../platform/db/connect.ts';
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
  };
}
