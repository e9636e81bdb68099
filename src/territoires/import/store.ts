import { and, desc, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../platform/db/connect.ts';
import { recordAudit } from '../../platform/audit/store.ts';
import type { AuditActor } from '../../platform/audit/model.ts';
import { importGeo, territoire, territoireLien, territoireValeur } from '../schema.ts';
import { KIND_INFO, type Counts, type ImportKind } from './model.ts';
import type { ExistingTerritoire, ExistingValeur, TerritoirePlan, ValeurPlan } from './plan.ts';
import type { AdresseLue } from './adresses.ts';
import type { Contoured } from './liens.ts';
import type { AreaGeometry } from '../geo/types.ts';
import type { Bbox } from '../geo/geometry.ts';

export type ImportRow = typeof importGeo.$inferSelect;

// ——— Runs (import_geo)

export async function createRun(
  db: DbOrTx,
  r: { id: string; contratId: string; kind: ImportKind; fichier: string; sha256: string; by: AuditActor },
): Promise<ImportRow> {
  const [row] = await db
    .insert(importGeo)
    .values({ id: r.id, contratId: r.contratId, kind: r.kind, fichier: r.fichier, sha256: r.sha256, statut: 'en_cours', parId: r.by.id, parLibelle: r.by.label })
    .returning();
  return row!;
}

export async function findRun(db: DbOrTx, contratId: string, id: string): Promise<ImportRow | undefined> {
  const [row] = await db
    .select()
    .from(importGeo)
    .where(and(eq(importGeo.contratId, contratId), eq(importGeo.id, id)));
  return row;
}

export async function listRuns(db: DbOrTx, contratId: string, limit = 50): Promise<ImportRow[]> {
  return db.select().from(importGeo).where(eq(importGeo.contratId, contratId)).orderBy(desc(importGeo.debut)).limit(limit);
}

/** True when this very file (same digest) was already imported successfully for this contract. */
export async function importedBefore(db: DbOrTx, contratId: string, kind: ImportKind, sha256: string): Promise<boolean> {
  const rows = await db
    .select({ id: importGeo.id })
    .from(importGeo)
    .where(and(eq(importGeo.contratId, contratId), eq(importGeo.kind, kind), eq(importGeo.sha256, sha256), eq(importGeo.statut, 'termine')))
    .limit(1);
  return rows.length > 0;
}

const INTERRUPTED = "Import interrompu : le processus qui l'exécutait s'est arrêté avant la fin. Aucune donnée n'a été modifiée ; relancez l'import.";

/** Runs left "en cours" by a process that stopped (their transaction was never committed). */
export async function closeInterruptedRuns(db: Db, by: AuditActor, startedBefore: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(importGeo)
      .set({ statut: 'echec', message: INTERRUPTED, fin: sql`now()` })
      .where(and(eq(importGeo.statut, 'en_cours'), lt(importGeo.debut, startedBefore)))
      .returning();
    for (const row of rows) {
      await recordAudit(tx, by, { action: 'import', objectType: 'import_geo', objectId: row.id, objectLabel: runLabel(row), contratId: row.contratId, after: { statut: 'echec', message: INTERRUPTED } });
    }
    return rows.length;
  });
}

export function runLabel(row: Pick<ImportRow, 'kind' | 'fichier'>): string {
  const info = KIND_INFO[row.kind as ImportKind];
  return `${info?.libelle ?? row.kind} : ${row.fichier}`;
}

/** The outcome of a successful run, written in the import's own transaction with its audit entry. */
export async function completeRun(tx: Tx, by: AuditActor, run: ImportRow, r: { counts: Counts; message: string; total: number }): Promise<void> {
  const { counts, message, total } = r;
  await tx
    .update(importGeo)
    .set({ statut: 'termine', total, traites: total, ajoutes: counts.ajoutes, modifies: counts.modifies, inchanges: counts.inchanges, message, fin: sql`now()` })
    .where(eq(importGeo.id, run.id));
  await recordAudit(tx, by, {
    action: 'import',
    objectType: 'import_geo',
    objectId: run.id,
    objectLabel: runLabel(run),
    contratId: run.contratId,
    after: { statut: 'termine', kind: run.kind, fichier: run.fichier, sha256: run.sha256, ...counts, message },
  });
}

/** A failed run: the import's transaction was rolled back; only the run itself and its audit entry are written. */
export async function failRun(db: Db, by: AuditActor, run: ImportRow, f: { message: string; ligne: number | null; colonne: string | null }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(importGeo)
      .set({ statut: 'echec', message: f.message, erreurLigne: f.ligne, erreurColonne: f.colonne, fin: sql`now()` })
      .where(eq(importGeo.id, run.id));
    await recordAudit(tx, by, {
      action: 'import',
      objectType: 'import_geo',
      objectId: run.id,
      objectLabel: runLabel(run),
      contratId: run.contratId,
      after: { statut: 'echec', kind: run.kind, fichier: run.fichier, sha256: run.sha256, message: f.message, erreurLigne: f.ligne, erreurColonne: f.colonne },
    });
  });
}

// ——— Territories

export async function existingTerritoires(db: DbOrTx, contratId: string, type: string): Promise<ExistingTerritoire[]> {
  return db
    .select({
      id: territoire.id,
      type: territoire.type,
      geographie: territoire.geographie,
      code: territoire.code,
      nom: territoire.nom,
      nomOfficiel: territoire.nomOfficiel,
      contour: territoire.contour,
      bbox: territoire.bbox,
      contourSource: territoire.contourSource,
    })
    .from(territoire)
    .where(and(eq(territoire.contratId, contratId), eq(territoire.type, type)));
}

/** The départements of the contract's communes and arrondissements (codes), to keep a national file to them. */
export async function contratCommuneCodes(db: DbOrTx, contratId: string): Promise<string[]> {
  const rows = await db
    .select({ code: territoire.code })
    .from(territoire)
    .where(and(eq(territoire.contratId, contratId), inArray(territoire.type, ['commune', 'arrondissement'])));
  return rows.map((r) => r.code);
}

// A contour is thousands of points: the journal says it changed, and how many points it has.
function forJournal(t: { nomOfficiel?: string | null; contour?: unknown; bbox?: unknown; contourSource?: string | null }) {
  const points = (g: AreaGeometry) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat().reduce((n, ring) => n + ring.length, 0);
  const out: Record<string, unknown> = {};
  if (t.nomOfficiel !== undefined) out.nomOfficiel = t.nomOfficiel;
  if (t.contour !== undefined) out.contour = t.contour ? `contour GeoJSON (${(t.contour as AreaGeometry).type}, ${points(t.contour as AreaGeometry)} points)` : null;
  if (t.bbox !== undefined) out.bbox = t.bbox;
  if (t.contourSource !== undefined) out.contourSource = t.contourSource;
  return out;
}

/** Writes a territory plan: rows in batches, one audit entry per territory created or changed. */
export async function applyTerritoires(tx: Tx, by: AuditActor, contratId: string, plan: TerritoirePlan, onProgress: (done: number) => void): Promise<void> {
  let done = 0;
  for (let i = 0; i < plan.inserts.length; i += 200) {
    const rows = await tx
      .insert(territoire)
      .values(plan.inserts.slice(i, i + 200).map((t) => ({ ...t, contratId })))
      .returning({ id: territoire.id, nom: territoire.nom, type: territoire.type, geographie: territoire.geographie, code: territoire.code, nomOfficiel: territoire.nomOfficiel, contour: territoire.contour, bbox: territoire.bbox, contourSource: territoire.contourSource, source: territoire.source });
    for (const row of rows) {
      await recordAudit(tx, by, {
        action: 'creation',
        objectType: 'territoire',
        objectId: row.id,
        objectLabel: `${row.nom} (${row.code})`,
        contratId,
        after: { type: row.type, geographie: row.geographie, code: row.code, nom: row.nom, source: row.source, ...forJournal(row) },
      });
    }
    onProgress((done += rows.length));
  }
  for (const { before, patch } of plan.updates) {
    await tx.update(territoire).set(patch).where(eq(territoire.id, before.id));
    const keys = Object.keys(patch) as (keyof typeof patch)[];
    const was = Object.fromEntries(keys.map((k) => [k, before[k]]));
    await recordAudit(tx, by, {
      action: 'modification',
      objectType: 'territoire',
      objectId: before.id,
      objectLabel: `${before.nom} (${before.code})`,
      contratId,
      before: forJournal(was),
      after: forJournal(patch),
    });
    onProgress(++done);
  }
}

/** Territories of these types with a contour, for the computed links. */
export async function contouredTerritoires(db: DbOrTx, contratId: string, type: string): Promise<Contoured[]> {
  const rows = await db
    .select({ id: territoire.id, code: territoire.code, contour: territoire.contour, bbox: territoire.bbox })
    .from(territoire)
    .where(and(eq(territoire.contratId, contratId), eq(territoire.type, type), isNotNull(territoire.contour), isNotNull(territoire.bbox)));
  return rows.map((r) => ({ id: r.id, code: r.code, contour: r.contour as AreaGeometry, bbox: r.bbox as Bbox }));
}

/**
 * Makes the computed links of these children exactly `links`: links with another source (the
 * contract's own table) are never touched, and a pair they already record is not duplicated.
 */
export async function replaceComputedLinks(
  tx: Tx,
  source: string,
  childIds: string[],
  links: { parentId: string; enfantId: string }[],
): Promise<{ ajoutes: number; supprimes: number }> {
  if (!childIds.length) return { ajoutes: 0, supprimes: 0 };
  const existing = await tx.select().from(territoireLien).where(inArray(territoireLien.enfantId, childIds));
  const key = (l: { parentId: string; enfantId: string }) => `${l.parentId}>${l.enfantId}`;
  const wanted = new Set(links.map(key));
  const any = new Set(existing.map(key));
  const stale = existing.filter((l) => l.source === source && !wanted.has(key(l)));
  for (const l of stale) {
    await tx.delete(territoireLien).where(and(eq(territoireLien.parentId, l.parentId), eq(territoireLien.enfantId, l.enfantId)));
  }
  const fresh = links.filter((l) => !any.has(key(l)));
  for (let i = 0; i < fresh.length; i += 500) {
    await tx.insert(territoireLien).values(fresh.slice(i, i + 500).map((l) => ({ ...l, source })));
  }
  return { ajoutes: fresh.length, supprimes: stale.length };
}

// ——— Figures

export async function existingValeurs(db: DbOrTx, territoireIds: string[]): Promise<ExistingValeur[]> {
  if (!territoireIds.length) return [];
  return db
    .select({
      id: territoireValeur.id,
      territoireId: territoireValeur.territoireId,
      indicateur: territoireValeur.indicateur,
      millesime: territoireValeur.millesime,
      source: territoireValeur.source,
      valeur: territoireValeur.valeur,
      texte: territoireValeur.texte,
    })
    .from(territoireValeur)
    .where(inArray(territoireValeur.territoireId, territoireIds));
}

export async function applyValeurs(tx: Tx, contratId: string, importId: string, plan: ValeurPlan, onProgress: (done: number) => void): Promise<void> {
  let done = 0;
  for (let i = 0; i < plan.inserts.length; i += 500) {
    const batch = plan.inserts.slice(i, i + 500);
    await tx.insert(territoireValeur).values(batch.map((v) => ({ ...v, contratId, importId })));
    onProgress((done += batch.length));
  }
  for (const u of plan.updates) {
    await tx
      .update(territoireValeur)
      .set({ ...u.set, importId })
      .where(eq(territoireValeur.id, u.id));
    onProgress(++done);
  }
}

// ——— Addresses

/** The distinct street names of the address base with the key stored for each. */
export async function storedStreetKeys(db: DbOrTx): Promise<{ nomVoie: string; voieCle: string }[]> {
  const result = (await db.execute(sql`select distinct nom_voie, voie_cle from adresse`)) as unknown as { rows: { nom_voie: string; voie_cle: string }[] };
  return result.rows.map((r) => ({ nomVoie: r.nom_voie, voieCle: r.voie_cle }));
}

/**
 * Inserts new addresses and updates changed ones, one statement per batch. The batch travels as one
 * JSON parameter (jsonb_to_recordset): thousands of bound parameters cost PGlite several times more.
 * PostgreSQL says which rows it inserted (xmax = 0) and returns no row for an address that did not change.
 */
export async function upsertAdresses(tx: Tx, importId: string, batch: (AdresseLue & { voieCle: string })[]): Promise<Pick<Counts, 'ajoutes' | 'modifies' | 'inchanges'>> {
  if (!batch.length) return { ajoutes: 0, modifies: 0, inchanges: 0 };
  const json = JSON.stringify(
    batch.map((a) => ({ id: a.id, numero: a.numero, rep: a.rep, nom_voie: a.nomVoie, voie_cle: a.voieCle, code_postal: a.codePostal, code_insee: a.codeInsee, lon: a.lon, lat: a.lat })),
  );
  const result = (await tx.execute(sql`
    insert into adresse (id, numero, rep, nom_voie, voie_cle, code_postal, code_insee, lon, lat, import_id)
    select r.id, r.numero, r.rep, r.nom_voie, r.voie_cle, r.code_postal, r.code_insee, r.lon, r.lat, ${importId}::uuid
    from jsonb_to_recordset(${json}::jsonb)
      as r(id text, numero integer, rep text, nom_voie text, voie_cle text, code_postal text, code_insee text, lon double precision, lat double precision)
    on conflict (id) do update set
      numero = excluded.numero, rep = excluded.rep, nom_voie = excluded.nom_voie, voie_cle = excluded.voie_cle,
      code_postal = excluded.code_postal, code_insee = excluded.code_insee, lon = excluded.lon, lat = excluded.lat, import_id = excluded.import_id
    where (adresse.numero, adresse.rep, adresse.nom_voie, adresse.voie_cle, adresse.code_postal, adresse.code_insee, adresse.lon, adresse.lat)
      is distinct from (excluded.numero, excluded.rep, excluded.nom_voie, excluded.voie_cle, excluded.code_postal, excluded.code_insee, excluded.lon, excluded.lat)
    returning (xmax = 0) as inserted`)) as unknown as { rows: { inserted: boolean }[] };
  const ajoutes = result.rows.filter((r) => r.inserted).length;
  return { ajoutes, modifies: result.rows.length - ajoutes, inchanges: batch.length - result.rows.length };
}
