import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../platform/db/connect.ts';
import { recordAudit } from '../platform/audit/store.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { territoire } from './schema.ts';

export type TerritoireRow = typeof territoire.$inferSelect;
export type NewTerritoire = { type: string; code: string; nom: string; source: string };

export async function listTerritoires(db: DbOrTx, contratId: string): Promise<TerritoireRow[]> {
  return db.select().from(territoire).where(eq(territoire.contratId, contratId)).orderBy(asc(territoire.type), asc(territoire.code));
}

/** Adds the territories a contract does not have yet (matched on type and code). */
export async function ensureTerritoires(db: Db, by: AuditActor, contratId: string, items: NewTerritoire[]): Promise<number> {
  return db.transaction(async (tx) => {
    const codes = items.map((i) => i.code);
    const existing = codes.length
      ? await tx.select().from(territoire).where(and(eq(territoire.contratId, contratId), inArray(territoire.code, codes)))
      : [];
    const known = new Set(existing.map((t) => `${t.type}:${t.code}`));
    const missing = items.filter((i) => !known.has(`${i.type}:${i.code}`));
    if (!missing.length) return 0;
    const rows = await tx.insert(territoire).values(missing.map((i) => ({ ...i, contratId }))).returning();
    for (const row of rows) {
      await recordAudit(tx, by, { action: 'creation', objectType: 'territoire', objectId: row.id, objectLabel: row.nom, contratId, after: row });
    }
    return rows.length;
  });
}
