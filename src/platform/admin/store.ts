import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/connect.ts';
import type { AuditActor } from '../audit/model.ts';
import { account, roleAssignment } from '../auth/schema.ts';
import {
  applyAccountChanges,
  createAccount,
  deleteRoleAssignment,
  findAccountByEmail,
  hashChanges,
  insertRoleAssignment,
  type AccountChanges,
  type AccountRow,
  type NewAccount,
  type NewAssignment,
} from '../auth/store.ts';
import type { Role, ScopeKind } from '../auth/policy.ts';
import { deactivationRefusal, DUPLICATE_ASSIGNMENT, revocationRefusal, sameAssignment, type AdminSeat } from './model.ts';

// The administration's writes: each checks its rule inside the transaction that writes, under row
// locks, so that two admins acting at the same moment cannot together break a rule that each
// request alone respects (both removing "the other" admin, the same role granted twice).

/** Locks and returns the admin assignments of a contract, with the state of their accounts. */
async function lockAdminSeats(tx: Tx, contratId: string): Promise<AdminSeat[]> {
  return tx
    .select({ accountId: roleAssignment.accountId, active: account.active })
    .from(roleAssignment)
    .innerJoin(account, eq(account.id, roleAssignment.accountId))
    .where(and(eq(roleAssignment.contratId, contratId), eq(roleAssignment.role, 'admin')))
    .for('update');
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

export type CreateResult = { ok: true; account: AccountRow } | { ok: false; reason: 'adresse-prise' };

export async function createAccountUnique(db: Db, by: AuditActor, input: NewAccount): Promise<CreateResult> {
  if (await findAccountByEmail(db, input.email)) return { ok: false, reason: 'adresse-prise' };
  try {
    return { ok: true, account: await createAccount(db, by, input) };
  } catch (error) {
    // Two creations of the same address at once: the unique index decides.
    if (isUniqueViolation(error)) return { ok: false, reason: 'adresse-prise' };
    throw error;
  }
}

export type GrantResult = { ok: true; id: string } | { ok: false; message: string };

export async function grantRoleOnce(db: Db, by: AuditActor, input: NewAssignment): Promise<GrantResult> {
  return db.transaction(async (tx) => {
    await tx.select({ id: account.id }).from(account).where(eq(account.id, input.accountId)).for('update');
    const existing = await tx
      .select({ role: roleAssignment.role, scopeKind: roleAssignment.scopeKind, scopeRef: roleAssignment.scopeRef })
      .from(roleAssignment)
      .where(and(eq(roleAssignment.accountId, input.accountId), eq(roleAssignment.contratId, input.contratId)));
    const wanted = { role: input.role, scopeKind: input.scopeKind, scopeRef: input.scopeRef };
    if (existing.some((e) => sameAssignment({ role: e.role as Role, scopeKind: e.scopeKind as ScopeKind | null, scopeRef: e.scopeRef }, wanted))) {
      return { ok: false, message: DUPLICATE_ASSIGNMENT };
    }
    return { ok: true, id: await insertRoleAssignment(tx, by, input) };
  });
}

export type RevokeResult = { ok: true } | { ok: false; reason: 'introuvable' } | { ok: false; reason: 'refus'; message: string };

/** Removes an assignment of `accountId` within `contratId`, unless lock-out protection forbids it. */
export async function revokeRoleChecked(
  db: Db,
  by: AuditActor,
  input: { accountId: string; contratId: string; assignmentId: string; label?: string; scopeLabel?: string },
): Promise<RevokeResult> {
  return db.transaction(async (tx) => {
    const admins = await lockAdminSeats(tx, input.contratId);
    const [row] = await tx.select().from(roleAssignment).where(eq(roleAssignment.id, input.assignmentId)).for('update');
    if (!row || row.accountId !== input.accountId || row.contratId !== input.contratId) return { ok: false, reason: 'introuvable' };
    const refusal = revocationRefusal({ actorId: by.id, target: { accountId: row.accountId, role: row.role as Role }, admins });
    if (refusal) return { ok: false, reason: 'refus', message: refusal };
    const labels = { ...(input.label !== undefined && { label: input.label }), ...(input.scopeLabel !== undefined && { scopeLabel: input.scopeLabel }) };
    await deleteRoleAssignment(tx, by, row.id, labels);
    return { ok: true };
  });
}

export type UpdateResult = { ok: true; account: AccountRow } | { ok: false; reason: 'introuvable' } | { ok: false; reason: 'refus'; message: string };

/** Changes an account, unless lock-out protection (seen from `contratId`) forbids deactivating it. */
export async function updateAccountChecked(db: Db, by: AuditActor, contratId: string, id: string, changes: AccountChanges): Promise<UpdateResult> {
  const hashed = await hashChanges(changes);
  return db.transaction(async (tx) => {
    const admins = await lockAdminSeats(tx, contratId);
    const [current] = await tx.select().from(account).where(eq(account.id, id)).for('update');
    if (!current) return { ok: false, reason: 'introuvable' };
    if (changes.active === false && current.active) {
      const refusal = deactivationRefusal({ actorId: by.id, targetId: id, active: false, admins });
      if (refusal) return { ok: false, reason: 'refus', message: refusal };
    }
    const after = await applyAccountChanges(tx, by, id, hashed);
    return after ? { ok: true, account: after } : { ok: false, reason: 'introuvable' };
  });
}
