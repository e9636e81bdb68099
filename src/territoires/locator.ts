import type { Config } from '../config.ts';
import type { Db } from '../platform/db/connect.ts';
import { loadAdresses, loadZones } from './geo-store.ts';
import { creerLocalisateur, type Localisateur } from './geo/localisateur.ts';

// One locator per contract, built on first use (contours and the ~158 000 addresses read once, a
// second or two) and kept in memory; an import that changes contours or addresses drops it with
// invalidateLocator, and the next question rebuilds it from the tables.

export { GeographieNonChargee, MESSAGE_ADRESSES_ABSENTES, MESSAGE_QPV_ABSENTS, type Localisateur } from './geo/localisateur.ts';

type Entry = { db: Db; reglage: string; promise: Promise<Localisateur> };
const cache = new Map<string, Entry>();

export type GeoConfig = Pick<Config['geo'], 'toleranceMetres' | 'banApiUrl'>;

/** The locator of a contract, built if needed. Concurrent first calls share one build. */
export function getLocator(db: Db, contratId: string, geo: GeoConfig): Promise<Localisateur> {
  const reglage = `${geo.toleranceMetres}|${geo.banApiUrl ?? ''}`;
  const known = cache.get(contratId);
  if (known && known.db === db && known.reglage === reglage) return known.promise;
  const promise = (async () => {
    const [zones, adresses] = await Promise.all([loadZones(db, contratId), loadAdresses(db)]);
    return creerLocalisateur(zones, adresses, { toleranceMetres: geo.toleranceMetres, banApiUrl: geo.banApiUrl });
  })();
  const entry: Entry = { db, reglage, promise };
  cache.set(contratId, entry);
  // A failed build (database unreachable) is not kept: the next question tries again.
  promise.catch(() => {
    if (cache.get(contratId) === entry) cache.delete(contratId);
  });
  return promise;
}

/** Called when an import of contours or addresses finishes: the next question sees the new data. */
export function invalidateLocator(contratId: string): void {
  cache.delete(contratId);
}
