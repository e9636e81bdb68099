import { and, asc, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/connect.ts';
import type { AreaGeometry } from '../platform/ui/map-model.ts';
import { territoire } from './schema.ts';
import { enfantsOf, parentsOf, valeursOf, type TerritoireLie, type ValeurRow } from './store.ts';

// Reads for the fact sheets, the maps and the territories API. Lists never load contours (thousands
// of points each); the maps ask for them by type.

export type TerritoireResume = {
  id: string;
  type: string;
  geographie: string;
  code: string;
  nom: string;
  nomOfficiel: string | null;
  source: string | null;
  contourSource: string | null;
  aContour: boolean;
};

export type TerritoireDetaille = { territoire: TerritoireResume; valeurs: ValeurRow[]; parents: TerritoireLie[]; enfants: TerritoireLie[] };

const resume = {
  id: territoire.id,
  type: territoire.type,
  geographie: territoire.geographie,
  code: territoire.code,
  nom: territoire.nom,
  nomOfficiel: territoire.nomOfficiel,
  source: territoire.source,
  contourSource: territoire.contourSource,
  aContour: sql<boolean>`(${territoire.contour} is not null)`.mapWith(Boolean),
};

export type Filtre = { type?: string | undefined; geographie?: string | undefined; code?: string | undefined };

function where(contratId: string, f: Filtre): SQL {
  const parts: SQL[] = [eq(territoire.contratId, contratId)];
  if (f.type) parts.push(eq(territoire.type, f.type));
  if (f.geographie) parts.push(eq(territoire.geographie, f.geographie));
  if (f.code) parts.push(eq(territoire.code, f.code));
  return and(...parts)!;
}

export async function listerResumes(db: DbOrTx, contratId: string, f: Filtre = {}): Promise<TerritoireResume[]> {
  return db.select(resume).from(territoire).where(where(contratId, f)).orderBy(asc(territoire.type), asc(territoire.geographie), asc(territoire.code));
}

/** The territories of a kind with their figures and the territories they lie in. */
export async function listerDetailles(db: DbOrTx, contratId: string, f: Filtre): Promise<TerritoireDetaille[]> {
  const rows = await listerResumes(db, contratId, f);
  const ids = rows.map((r) => r.id);
  const [valeurs, parents] = await Promise.all([valeursOf(db, ids), parentsOf(db, ids)]);
  return rows.map((t) => ({
    territoire: t,
    valeurs: valeurs.filter((v) => v.territoireId === t.id),
    parents: parents.filter((p) => p.de === t.id),
    enfants: [],
  }));
}

/** Every territory with this code (one per type and geography), with figures, parents and children. */
export async function detaillerParCode(db: DbOrTx, contratId: string, f: Filtre & { code: string }): Promise<TerritoireDetaille[]> {
  const rows = await listerResumes(db, contratId, f);
  const out: TerritoireDetaille[] = [];
  for (const t of rows) {
    const [valeurs, parents, enfants] = await Promise.all([valeursOf(db, [t.id]), parentsOf(db, t.id), enfantsOf(db, t.id)]);
    out.push({ territoire: t, valeurs, parents, enfants });
  }
  return out;
}

/** The versions of a zoning present in the contract ('2015', '2024'…), oldest first. */
export async function geographiesDe(db: DbOrTx, contratId: string, type: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ geographie: territoire.geographie })
    .from(territoire)
    .where(where(contratId, { type }))
    .orderBy(asc(territoire.geographie));
  return rows.map((r) => r.geographie);
}

export type Contour = { code: string; nom: string; type: string; geographie: string; contourSource: string | null; geometry: AreaGeometry };

/** The contours imported for these territories; those without one are left out. */
export async function contoursDe(db: DbOrTx, contratId: string, f: Filtre): Promise<Contour[]> {
  const rows = await db
    .select({
      code: territoire.code,
      nom: territoire.nom,
      type: territoire.type,
      geographie: territoire.geographie,
      contourSource: territoire.contourSource,
      contour: territoire.contour,
    })
    .from(territoire)
    .where(and(where(contratId, f), isNotNull(territoire.contour)))
    .orderBy(asc(territoire.code));
  return rows.map(({ contour, ...r }) => ({ ...r, geometry: contour as AreaGeometry }));
}
