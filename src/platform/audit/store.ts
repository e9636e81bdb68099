import { and, count, desc, eq, gte, ilike, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/connect.ts';
import { auditLog } from './schema.ts';
import { AUDIT_PAGE_SIZE, auditable, type AuditActor, type AuditEntry, type AuditFilter } from './model.ts';
import { containsPattern } from '../db/sql.ts';

/** Call inside the transaction of the change it records, so that both commit or neither does. */
export async function recordAudit(tx: DbOrTx, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: actor.id,
    actorLabel: actor.label,
    ip: actor.ip ?? null,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    objectLabel: entry.objectLabel ?? null,
    contratId: entry.contratId ?? null,
    before: auditable(entry.before),
    after: auditable(entry.after),
  });
}

export type AuditRow = typeof auditLog.$inferSelect;
/** Narrows the journal to one contract; entries tied to no contract (accounts, sessions) stay visible. */
export type AuditScope = { contratId?: string | undefined };

// A day typed in a filter is a day in Paris: it starts at local midnight, not at UTC midnight.
// `date::timestamp at time zone` runs the same on PostgreSQL 15 and PGlite, summer time included.
function parisMidnight(day: string, plusDays = 0): SQL {
  return sql`((${day}::date + ${plusDays}::integer)::timestamp at time zone 'Europe/Paris')`;
}

function auditCondition(filter: Omit<AuditFilter, 'page'>, scope: AuditScope): SQL | undefined {
  const where: SQL[] = [];
  if (scope.contratId) where.push(or(eq(auditLog.contratId, scope.contratId), isNull(auditLog.contratId))!);
  if (filter.personne) where.push(ilike(auditLog.actorLabel, containsPattern(filter.personne)));
  if (filter.objet) {
    const like = containsPattern(filter.objet);
    where.push(or(ilike(auditLog.objectType, like), ilike(auditLog.objectId, like), ilike(auditLog.objectLabel, like))!);
  }
  if (filter.du) where.push(gte(auditLog.at, parisMidnight(filter.du)));
  if (filter.au) where.push(lt(auditLog.at, parisMidnight(filter.au, 1)));
  return where.length ? and(...where) : undefined;
}

export async function listAudit(db: DbOrTx, filter: AuditFilter, scope: AuditScope = {}) {
  const condition = auditCondition(filter, scope);
  const rows = await db
    .select()
    .from(auditLog)
    .where(condition)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((filter.page - 1) * AUDIT_PAGE_SIZE);
  const [total] = await db.select({ n: count() }).from(auditLog).where(condition);
  return { rows, total: total?.n ?? 0 };
}

/**
 * Every entry matching the filter, newest first, in batches: an export of a long journal never
 * holds it whole in memory. Batches follow the id (keyset), which a JS Date, with milliseconds
 * only, could not do reliably on timestamps stored to the microsecond.
 */
export async function* auditBatches(db: DbOrTx, filter: Omit<AuditFilter, 'page'>, scope: AuditScope = {}, size = 1000): AsyncGenerator<AuditRow[]> {
  const condition = auditCondition(filter, scope);
  let last: number | undefined;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(condition, last === undefined ? undefined : lt(auditLog.id, last)))
      .orderBy(desc(auditLog.id))
      .limit(size);
    if (rows.length) yield rows;
    if (rows.length < size) return;
    last = rows[rows.length - 1]!.id;
  }
}
