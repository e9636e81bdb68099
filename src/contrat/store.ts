import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../platform/db/connect.ts';
import { recordAudit } from '../platform/audit/store.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { organisation } from './schema.ts';

export type OrganisationRow = typeof organisation.$inferSelect;
export type NewOrganisation = { nom: string; type: string; source: string | null };

export async function listOrganisations(db: DbOrTx, contratId: string): Promise<OrganisationRow[]> {
  return db.select().from(organisation).where(eq(organisation.contratId, contratId)).orderBy(asc(organisation.nom));
}

/** Adds the organisations a contract does not have yet (matched on name). */
export async function ensureOrganisations(db: Db, by: AuditActor, contratId: string, items: NewOrganisation[]): Promise<number> {
  return db.transaction(async (tx) => {
    const names = items.map((i) => i.nom);
    const existing = names.length
      ? await tx.select().from(organisation).where(and(eq(organisation.contratId, contratId), inArray(organisation.nom, names)))
      : [];
    const known = new Set(existing.map((o) => o.nom));
    const missing = items.filter((i) => !known.has(i.nom));
    if (!missing.length) return 0;
    const rows = await tx.insert(organisation).values(missing.map((i) => ({ ...i, contratId }))).returning();
    for (const row of rows) {
      await recordAudit(tx, by, { action: 'creation', objectType: 'organisation', objectId: row.id, objectLabel: row.nom, contratId, after: row });
    }
    return rows.length;
  });
}
