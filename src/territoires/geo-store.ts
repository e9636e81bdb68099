import { and, eq, inArray, isNotNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/connect.ts';
import { adresse, territoire } from './schema.ts';
import type { LigneAdresse } from './geo/geocodeur.ts';
import type { AreaGeometry, Zone, ZoneType } from './geo/types.ts';

// What the locator reads: the contours of a contract's territories, and the address base.

function isArea(value: unknown): value is AreaGeometry {
  const g = value as { type?: unknown; coordinates?: unknown } | null;
  return !!g && (g.type === 'Polygon' || g.type === 'MultiPolygon') && Array.isArray(g.coordinates);
}

/**
 * The zones with a contour: the QPV of one geography version (2015 by default), the arrondissements
 * and the IRIS. A territory without a contour (a QVA, a QPV listed before its contour is imported) is
 * simply not a zone.
 */
export async function loadZones(db: DbOrTx, contratId: string, geographieQpv = '2015'): Promise<Zone[]> {
  const rows = await db
    .select({ id: territoire.id, type: territoire.type, code: territoire.code, nom: territoire.nom, contour: territoire.contour })
    .from(territoire)
    .where(
      and(
        eq(territoire.contratId, contratId),
        isNotNull(territoire.contour),
        or(and(eq(territoire.type, 'qpv'), eq(territoire.geographie, geographieQpv)), inArray(territoire.type, ['arrondissement', 'iris'])),
      ),
    )
    .orderBy(territoire.type, territoire.code);
  return rows.filter((r) => isArea(r.contour)).map((r) => ({ id: r.id, type: r.type as ZoneType, code: r.code, nom: r.nom, geometry: r.contour as AreaGeometry }));
}

/** Every address of the base (reference data shared by the contracts of an instance). */
export async function loadAdresses(db: DbOrTx): Promise<LigneAdresse[]> {
  return db
    .select({
      id: adresse.id,
      numero: adresse.numero,
      rep: adresse.rep,
      nomVoie: adresse.nomVoie,
      voieCle: adresse.voieCle,
      codePostal: adresse.codePostal,
      codeInsee: adresse.codeInsee,
      lon: adresse.lon,
      lat: adresse.lat,
    })
    .from(adresse);
}
