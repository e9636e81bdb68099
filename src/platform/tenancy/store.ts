import { asc, desc, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/connect.ts';
import { recordAudit } from '../audit/store.ts';
import type { AuditActor } from '../audit/model.ts';
import { contrat } from './schema.ts';

export type ContratRow = typeof contrat.$inferSelect;
export type NewContrat = { slug: string; nom: string; territoire: string; debut: string; fin: string; source?: string };

export async function findContratBySlug(db: DbOrTx, slug: string): Promise<ContratRow | undefined> {
  const [row] = await db.select().from(contrat).where(eq(contrat.slug, slug));
  return row;
}

export async function defaultContrat(db: DbOrTx): Promise<ContratRow | undefined> {
  const [row] = await db.select().from(contrat).where(eq(contrat.parDefaut, true));
  return row;
}

/** Registers a contract once; later calls return the existing row unchanged. */
export async function ensureContrat(db: Db, by: AuditActor, input: NewContrat, parDefaut: boolean): Promise<ContratRow> {
  const existing = await findContratBySlug(db, input.slug);
  if (existing) return existing;
  // Two servers starting together may both get here: the second insert does nothing.
  const created = await db.transaction(async (tx) => {
    const [row] = await tx.insert(contrat).values({ ...input, parDefaut }).onConflictDoNothing({ target: contrat.slug }).returning();
    if (row) await recordAudit(tx, by, { action: 'creation', objectType: 'contrat', objectId: row.id, objectLabel: row.nom, contratId: row.id, after: row });
    return row;
  });
  return created ?? (await findContratBySlug(db, input.slug))!;
}

export async function listContrats(db: DbOrTx): Promise<ContratRow[]> {
  return db.select().from(contrat).orderBy(desc(contrat.parDefaut), asc(contrat.debut), asc(contrat.nom));
}
