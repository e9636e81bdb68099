import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../platform/db/connect.ts';
import { recordAudit } from '../platform/audit/store.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { territoire, territoireLien, territoireValeur } from './schema.ts';

export type TerritoireRow = typeof territoire.$inferSelect;
export type ValeurRow = typeof territoireValeur.$inferSelect;
export type NewTerritoire = { type: string; code: string; nom: string; source: string; geographie?: string };

export type TerritoireFiltre = { type?: string; geographie?: string };

export async function listTerritoires(db: DbOrTx, contratId: string, filtre: TerritoireFiltre = {}): Promise<TerritoireRow[]> {
  const where: SQL[] = [eq(territoire.contratId, contratId)];
  if (filtre.type) where.push(eq(territoire.type, filtre.type));
  if (filtre.geographie) where.push(eq(territoire.geographie, filtre.geographie));
  return db
    .select()
    .from(territoire)
    .where(and(...where))
    .orderBy(asc(territoire.type), asc(territoire.geographie), asc(territoire.code));
}

/** Adds the territories a contract does not have yet (matched on type, geography and code); never changes one. */
export async function ensureTerritoires(db: Db, by: AuditActor, contratId: string, items: NewTerritoire[]): Promise<number> {
  const r = await upsertTerritoires(
    db,
    by,
    contratId,
    items.map((i) => ({ ...i, geographie: i.geographie ?? 'cog' })),
    { inserer: true, modifier: false },
  );
  return r.ajoutes;
}

/** What a caller knows of a territory; a field left undefined is left as it is (a restart never wipes an imported contour). */
export type TerritoireSaisi = {
  type: string;
  geographie: string;
  code: string;
  nom: string;
  nomOfficiel?: string | null;
  source?: string | null;
  contour?: unknown;
  bbox?: [number, number, number, number] | null;
  contourSource?: string | null;
};

export type Bilan = { ajoutes: number; modifies: number; inchanges: number };
export type BilanTerritoires = Bilan & { territoires: TerritoireRow[] };

const cle = (t: { type: string; geographie: string; code: string }) => `${t.type}|${t.geographie}|${t.code}`;
const CHAMPS = ['nom', 'nomOfficiel', 'source', 'contour', 'bbox', 'contourSource'] as const;

// A contour is thousands of points: the journal notes that it changed, not the points themselves.
function pourJournal(row: TerritoireRow | undefined) {
  if (!row) return undefined;
  const { contour, bbox, ...rest } = row;
  return { ...rest, contour: contour ? '(contour GeoJSON)' : null, bbox };
}

const memeValeur = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

// One multi-row insert per slice: few round trips, and far below PostgreSQL's 65 535 parameters per statement.
async function parTranches<T, R>(items: T[], inserer: (tranche: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += 1000) out.push(...(await inserer(items.slice(i, i + 1000))));
  return out;
}

/**
 * Creates or updates territories, matched on (type, geographie, code), each change audited in the
 * same transaction. Returns every territory named, in the order given.
 */
export async function upsertTerritoires(
  db: Db,
  by: AuditActor,
  contratId: string,
  items: TerritoireSaisi[],
  options: { inserer?: boolean; modifier?: boolean } = {},
): Promise<BilanTerritoires> {
  const { inserer = true, modifier = true } = options;
  return db.transaction(async (tx) => {
    const codes = [...new Set(items.map((i) => i.code))];
    const existing = codes.length
      ? await tx.select().from(territoire).where(and(eq(territoire.contratId, contratId), inArray(territoire.code, codes)))
      : [];
    const known = new Map(existing.map((t) => [cle(t), t]));
    const bilan: BilanTerritoires = { ajoutes: 0, modifies: 0, inchanges: 0, territoires: [] };
    // New territories go in one statement: loading a contract's geography stays quick on PGlite.
    const nouveaux = inserer ? [...new Map(items.filter((i) => !known.has(cle(i))).map((i) => [cle(i), i])).values()] : [];
    const inseres = await parTranches(nouveaux, (t) =>
      tx
        .insert(territoire)
        .values(t.map((i) => ({ ...i, contratId })))
        .returning(),
    );
    for (const row of inseres) {
      await recordAudit(tx, by, { action: 'creation', objectType: 'territoire', objectId: row.id, objectLabel: row.nom, contratId, after: pourJournal(row) });
    }
    const crees = new Map(inseres.map((row) => [cle(row), row]));
    for (const item of items) {
      const cree = crees.get(cle(item));
      if (cree) {
        crees.delete(cle(item));
        bilan.ajoutes++;
        bilan.territoires.push(cree);
        known.set(cle(cree), cree);
        continue;
      }
      const before = known.get(cle(item));
      if (!before) continue;
      const patch: Partial<TerritoireRow> = {};
      for (const champ of CHAMPS) {
        if (item[champ] !== undefined && !memeValeur(item[champ], before[champ])) Object.assign(patch, { [champ]: item[champ] });
      }
      if (!modifier || !Object.keys(patch).length) {
        bilan.inchanges++;
        bilan.territoires.push(before);
        continue;
      }
      const [after] = await tx.update(territoire).set(patch).where(eq(territoire.id, before.id)).returning();
      await recordAudit(tx, by, {
        action: 'modification',
        objectType: 'territoire',
        objectId: before.id,
        objectLabel: after!.nom,
        contratId,
        before: pourJournal(before),
        after: pourJournal(after),
      });
      known.set(cle(after!), after!);
      bilan.modifies++;
      bilan.territoires.push(after!);
    }
    return bilan;
  });
}

export type ValeurSaisie = {
  territoireId: string;
  indicateur: string;
  valeur: number | null;
  texte: string | null;
  millesime: string;
  source: string;
  importId?: string | null;
};

const cleValeur = (v: { territoireId: string; indicateur: string; millesime: string; source: string }) =>
  `${v.territoireId}|${v.indicateur}|${v.millesime}|${v.source}`;
const libelleValeur = (v: { indicateur: string; millesime: string; source: string }) => `${v.indicateur} (${v.millesime}, ${v.source})`;

/**
 * Records figures, matched on (territory, indicator, vintage, source): the same figure twice changes
 * nothing; a corrected figure from the same source replaces the old one, audited. Another source for
 * the same indicator is another row: sources are kept side by side, never merged.
 */
export async function ajouterValeurs(db: Db, by: AuditActor, contratId: string, items: ValeurSaisie[]): Promise<Bilan> {
  return db.transaction(async (tx) => {
    const ids = [...new Set(items.map((i) => i.territoireId))];
    const existing = ids.length ? await tx.select().from(territoireValeur).where(inArray(territoireValeur.territoireId, ids)) : [];
    const known = new Map(existing.map((v) => [cleValeur(v), v]));
    const bilan: Bilan = { ajoutes: 0, modifies: 0, inchanges: 0 };
    const nouvelles = [...new Map(items.filter((i) => !known.has(cleValeur(i))).map((i) => [cleValeur(i), i])).values()];
    const inserees = await parTranches(nouvelles, (t) =>
      tx
        .insert(territoireValeur)
        .values(t.map((i) => ({ ...i, contratId })))
        .returning(),
    );
    for (const row of inserees) {
      await recordAudit(tx, by, { action: 'creation', objectType: 'territoire_valeur', objectId: row.id, objectLabel: libelleValeur(row), contratId, after: row });
      known.set(cleValeur(row), row);
    }
    bilan.ajoutes = inserees.length;
    const creees = new Set(inserees.map(cleValeur));
    for (const item of items) {
      if (creees.delete(cleValeur(item))) continue;
      const before = known.get(cleValeur(item))!;
      if (before.valeur === item.valeur && before.texte === item.texte) {
        bilan.inchanges++;
        continue;
      }
      const [after] = await tx
        .update(territoireValeur)
        .set({ valeur: item.valeur, texte: item.texte, importId: item.importId ?? before.importId })
        .where(eq(territoireValeur.id, before.id))
        .returning();
      await recordAudit(tx, by, { action: 'modification', objectType: 'territoire_valeur', objectId: before.id, objectLabel: libelleValeur(before), contratId, before, after });
      known.set(cleValeur(after!), after!);
      bilan.modifies++;
    }
    return bilan;
  });
}

export type LienSaisi = { parentId: string; enfantId: string; source: string };

/** Records that a territory lies (partly) in another; idempotent, audited. */
export async function lierTerritoires(db: Db, by: AuditActor, contratId: string, items: LienSaisi[]): Promise<Bilan> {
  return db.transaction(async (tx) => {
    const enfants = [...new Set(items.map((i) => i.enfantId))];
    const existing = enfants.length ? await tx.select().from(territoireLien).where(inArray(territoireLien.enfantId, enfants)) : [];
    const cleLien = (l: LienSaisi) => `${l.parentId}>${l.enfantId}`;
    const known = new Map(existing.map((l) => [cleLien(l), l]));
    const bilan: Bilan = { ajoutes: 0, modifies: 0, inchanges: 0 };
    const nouveaux = [...new Map(items.filter((i) => !known.has(cleLien(i))).map((i) => [cleLien(i), i])).values()];
    const inseres = await parTranches(nouveaux, (t) => tx.insert(territoireLien).values(t).returning());
    for (const row of inseres) {
      await recordAudit(tx, by, { action: 'creation', objectType: 'territoire_lien', objectId: cleLien(row), contratId, after: row });
      known.set(cleLien(row), row);
    }
    bilan.ajoutes = inseres.length;
    const crees = new Set(inseres.map(cleLien));
    for (const item of items) {
      if (crees.delete(cleLien(item))) continue;
      const before = known.get(cleLien(item))!;
      if (before.source === item.source) {
        bilan.inchanges++;
        continue;
      }
      const [after] = await tx
        .update(territoireLien)
        .set({ source: item.source })
        .where(and(eq(territoireLien.parentId, item.parentId), eq(territoireLien.enfantId, item.enfantId)))
        .returning();
      await recordAudit(tx, by, { action: 'modification', objectType: 'territoire_lien', objectId: cleLien(item), contratId, before, after });
      known.set(cleLien(item), after!);
      bilan.modifies++;
    }
    return bilan;
  });
}

/** Every figure of these territories, by territory, indicator, vintage and source. */
export async function valeursOf(db: DbOrTx, territoireIds: string[]): Promise<ValeurRow[]> {
  if (!territoireIds.length) return [];
  return db
    .select()
    .from(territoireValeur)
    .where(inArray(territoireValeur.territoireId, territoireIds))
    .orderBy(asc(territoireValeur.territoireId), asc(territoireValeur.indicateur), asc(territoireValeur.millesime), asc(territoireValeur.source));
}

/** A territory related to one of the territories asked about (`de`), with the source of the link. */
export type TerritoireLie = { de: string; territoire: TerritoireRow; source: string };

/** The territories these ones lie in (a QPV → its arrondissements). */
export async function parentsOf(db: DbOrTx, ids: string | string[]): Promise<TerritoireLie[]> {
  const list = typeof ids === 'string' ? [ids] : ids;
  if (!list.length) return [];
  const rows = await db
    .select({ de: territoireLien.enfantId, source: territoireLien.source, territoire })
    .from(territoireLien)
    .innerJoin(territoire, eq(territoire.id, territoireLien.parentId))
    .where(inArray(territoireLien.enfantId, list))
    .orderBy(asc(territoire.type), asc(territoire.code));
  return rows;
}

/** The territories lying in these ones (an arrondissement → its QPV, QVA and IRIS). */
export async function enfantsOf(db: DbOrTx, ids: string | string[]): Promise<TerritoireLie[]> {
  const list = typeof ids === 'string' ? [ids] : ids;
  if (!list.length) return [];
  const rows = await db
    .select({ de: territoireLien.parentId, source: territoireLien.source, territoire })
    .from(territoireLien)
    .innerJoin(territoire, eq(territoire.id, territoireLien.enfantId))
    .where(inArray(territoireLien.parentId, list))
    .orderBy(asc(territoire.type), asc(territoire.code));
  return rows;
}
