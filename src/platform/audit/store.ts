import { and, count, desc, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/connect.ts';
import { auditLog } from './schema.ts';
import { AUDIT_PAGE_SIZE, auditable, type AuditActor, type AuditEntry, type AuditFilter } from './model.ts';

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

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listAudit(db: DbOrTx, filter: AuditFilter) {
  const where: SQL[] = [];
  if (filter.personne) where.push(ilike(auditLog.actorLabel, `%${escapeLike(filter.personne)}%`));
  if (filter.objet) {
    const like = `%${escapeLike(filter.objet)}%`;
    where.push(or(ilike(auditLog.objectType, like), ilike(auditLog.objectId, like), ilike(auditLog.objectLabel, like))!);
  }
  if (filter.du) where.push(gte(auditLog.at, new Date(`${filter.du}T00:00:00Z`)));
  if (filter.au) where.push(lt(auditLog.at, sql`${`${filter.au}T00:00:00Z`}::timestamptz + interval '1 day'`));
  const condition = where.length ? and(...where) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(auditLog)
      .where(condition)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(AUDIT_PAGE_SIZE)
      .offset((filter.page - 1) * AUDIT_PAGE_SIZE),
    db.select({ n: count() }).from(auditLog).where(condition),
  ]);
  return { rows, total: total?.n ?? 0 };
}
