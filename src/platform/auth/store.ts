import { hash, verify } from '@node-rs/argon2';
import { and, asc, eq, ilike, inArray, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../db/connect.ts';
import { recordAudit } from '../audit/store.ts';
import type { AuditActor } from '../audit/model.ts';
import { account, roleAssignment, session, loginThrottle } from './schema.ts';
import { afterFailure, digest, FAILURE_MEMORY_SECONDS, FREE_FAILURES, FREE_FAILURES_PER_IP, newSecret, sessionState, shouldTouchSession, waitSeconds, type SessionLimits } from './model.ts';
import type { Actor, Assignment, Role, ScopeKind } from './policy.ts';
import { containsPattern } from '../db/sql.ts';

export type AccountRow = typeof account.$inferSelect;

// Argon2id with the library's defaults (19 MiB, t=2), the OWASP baseline.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verifying against a fixed hash when the account is unknown keeps the response time the same,
// so timing does not reveal which addresses have an account.
let dummyHash: Promise<string> | undefined;
async function verifyOrWaste(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hash(newSecret());
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

export async function findAccountByEmail(db: DbOrTx, email: string): Promise<AccountRow | undefined> {
  const [row] = await db.select().from(account).where(eq(account.email, email.toLowerCase()));
  return row;
}

export async function findAccountById(db: DbOrTx, id: string): Promise<AccountRow | undefined> {
  const [row] = await db.select().from(account).where(eq(account.id, id));
  return row;
}

/** Every account, or those whose name or address contains `q` (case-insensitive). */
export async function listAccounts(db: DbOrTx, options: { q?: string | undefined } = {}): Promise<AccountRow[]> {
  const like = options.q ? containsPattern(options.q) : undefined;
  return db
    .select()
    .from(account)
    .where(like ? or(ilike(account.displayName, like), ilike(account.email, like)) : undefined)
    .orderBy(asc(account.displayName), asc(account.email));
}

export type AssignmentRow = Assignment & { id: string; accountId: string };

function toAssignment(r: typeof roleAssignment.$inferSelect): AssignmentRow {
  return {
    id: r.id,
    accountId: r.accountId,
    role: r.role as Role,
    contratId: r.contratId,
    scopeKind: (r.scopeKind as ScopeKind | null) ?? null,
    scopeRef: r.scopeRef,
  };
}

/** Every role granted within one contract, oldest first (one query for a whole list of accounts). */
export async function listContratAssignments(db: DbOrTx, contratId: string): Promise<AssignmentRow[]> {
  const rows = await db
    .select()
    .from(roleAssignment)
    .where(eq(roleAssignment.contratId, contratId))
    .orderBy(asc(roleAssignment.createdAt), asc(roleAssignment.id));
  return rows.map(toAssignment);
}

export async function assignmentsOf(db: DbOrTx, accountId: string): Promise<AssignmentRow[]> {
  const rows = await db
    .select()
    .from(roleAssignment)
    .where(eq(roleAssignment.accountId, accountId))
    .orderBy(asc(roleAssignment.createdAt), asc(roleAssignment.id));
  return rows.map(toAssignment);
}

export async function actorOf(db: DbOrTx, row: AccountRow): Promise<Actor> {
  return { id: row.id, email: row.email, displayName: row.displayName, assignments: await assignmentsOf(db, row.id) };
}

export type NewAccount = { email: string; displayName: string; password?: string; isDemo?: boolean };

export async function createAccount(db: Db, by: AuditActor, input: NewAccount): Promise<AccountRow> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(account)
      .values({ email: input.email.toLowerCase(), displayName: input.displayName, passwordHash, isDemo: input.isDemo ?? false })
      .returning();
    await recordAudit(tx, by, { action: 'creation', objectType: 'compte', objectId: row!.id, objectLabel: row!.email, after: row });
    return row!;
  });
}

export type NewAssignment = {
  accountId: string;
  contratId: string;
  role: Role;
  scopeKind: ScopeKind | null;
  scopeRef: string | null;
  /** The account, as the audit log names it (its address). */
  label?: string;
  /** The territory or organisation, readable, so that the log says more than an id. */
  scopeLabel?: string;
};

/** The write and its audit entry, inside a transaction the caller holds (with its own checks and locks). */
export async function insertRoleAssignment(tx: Tx, by: AuditActor, input: NewAssignment): Promise<string> {
  const [row] = await tx
    .insert(roleAssignment)
    .values({ accountId: input.accountId, contratId: input.contratId, role: input.role, scopeKind: input.scopeKind, scopeRef: input.scopeRef })
    .returning();
  await recordAudit(tx, by, {
    action: 'attribution-role',
    objectType: 'compte',
    objectId: input.accountId,
    objectLabel: input.label ?? null,
    contratId: input.contratId,
    after: input.scopeLabel ? { ...row, scopeLabel: input.scopeLabel } : row,
  });
  return row!.id;
}

export async function grantRole(db: Db, by: AuditActor, input: NewAssignment): Promise<string> {
  return db.transaction((tx) => insertRoleAssignment(tx, by, input));
}

/** Deletes one assignment and audits it with its before-values; false when it no longer exists. */
export async function deleteRoleAssignment(tx: Tx, by: AuditActor, assignmentId: string, labels: { label?: string; scopeLabel?: string } = {}): Promise<boolean> {
  const [row] = await tx.delete(roleAssignment).where(eq(roleAssignment.id, assignmentId)).returning();
  if (!row) return false;
  await recordAudit(tx, by, {
    action: 'retrait-role',
    objectType: 'compte',
    objectId: row.accountId,
    objectLabel: labels.label ?? null,
    contratId: row.contratId,
    before: labels.scopeLabel ? { ...row, scopeLabel: labels.scopeLabel } : row,
  });
  return true;
}

export type AccountChanges = { displayName?: string; active?: boolean; password?: string };

/** Hashing is slow: do it before opening the transaction that applies the changes. */
export async function hashChanges(changes: AccountChanges): Promise<Omit<AccountChanges, 'password'> & { passwordHash?: string }> {
  const { password, ...rest } = changes;
  return password ? { ...rest, passwordHash: await hashPassword(password) } : rest;
}

export async function applyAccountChanges(
  tx: Tx,
  by: AuditActor,
  id: string,
  changes: { displayName?: string; active?: boolean; passwordHash?: string },
): Promise<AccountRow | undefined> {
  const [before] = await tx.select().from(account).where(eq(account.id, id));
  if (!before) return undefined;
  const [after] = await tx
    .update(account)
    .set({
      ...(changes.displayName !== undefined && { displayName: changes.displayName }),
      ...(changes.active !== undefined && { active: changes.active }),
      ...(changes.passwordHash && { passwordHash: changes.passwordHash }),
    })
    .where(eq(account.id, id))
    .returning();
  // A deactivated account or a new password ends every open session of that account.
  if (changes.active === false || changes.passwordHash) {
    await tx.update(session).set({ revokedAt: new Date() }).where(and(eq(session.accountId, id), isNull(session.revokedAt)));
  }
  await recordAudit(tx, by, { action: 'modification', objectType: 'compte', objectId: id, objectLabel: after!.email, before, after });
  return after;
}

export async function updateAccount(db: Db, by: AuditActor, id: string, changes: AccountChanges): Promise<AccountRow | undefined> {
  const hashed = await hashChanges(changes);
  return db.transaction((tx) => applyAccountChanges(tx, by, id, hashed));
}

// --- Sign-in with a password, throttled per address and per IP ---------------------------------

export type SignInResult =
  | { ok: true; account: AccountRow }
  | { ok: false; reason: 'identifiants' }
  | { ok: false; reason: 'attente'; seconds: number };

export async function signInWithPassword(db: Db, email: string, password: string, ip: string, now = new Date()): Promise<SignInResult> {
  // Sorted, so that two attempts lock the same rows in the same order (no deadlock).
  const keys = [`email:${email.toLowerCase()}`, `ip:${ip}`].sort();
  const free = (key: string) => (key.startsWith('email:') ? FREE_FAILURES : FREE_FAILURES_PER_IP);
  // The counters are read, checked and written under a row lock: parallel attempts are counted one
  // by one instead of all reading the same count.
  return db.transaction(async (tx) => {
    await tx
      .insert(loginThrottle)
      .values(keys.map((key) => ({ key, failures: 0, lastFailureAt: now })))
      .onConflictDoNothing();
    const throttles = await tx.select().from(loginThrottle).where(inArray(loginThrottle.key, keys)).orderBy(asc(loginThrottle.key)).for('update');
    const wait = Math.max(...throttles.map((t) => waitSeconds(t, now)));
    if (wait > 0) return { ok: false, reason: 'attente', seconds: wait } as const;

    const row = await findAccountByEmail(tx, email);
    const valid = await verifyOrWaste(row?.active ? row.passwordHash : null, password);
    if (valid && row) {
      await tx.delete(loginThrottle).where(eq(loginThrottle.key, `email:${email.toLowerCase()}`));
      return { ok: true, account: row } as const;
    }
    for (const t of throttles) {
      await tx.update(loginThrottle).set(afterFailure(t, now, free(t.key))).where(eq(loginThrottle.key, t.key));
    }
    return { ok: false, reason: 'identifiants' } as const;
  });
}

// --- Sessions ---------------------------------------------------------------------------------

export async function openSession(db: Db, accountId: string, method: 'mot-de-passe' | 'oidc', ip: string): Promise<string> {
  const secret = newSecret();
  await db.transaction(async (tx) => {
    await tx.insert(session).values({ idHash: digest(secret), accountId, method });
    const [row] = await tx.update(account).set({ lastLoginAt: new Date() }).where(eq(account.id, accountId)).returning();
    await recordAudit(tx, { id: accountId, label: row?.email ?? accountId, ip }, {
      action: 'connexion',
      objectType: 'session',
      objectId: accountId,
      objectLabel: method,
    });
  });
  return secret;
}

/** The signed-in account behind a session cookie, or null when the session is unknown or over. */
export async function resolveSession(db: Db, secret: string, limits: SessionLimits, now = new Date()): Promise<Actor | null> {
  const idHash = digest(secret);
  const [row] = await db
    .select({ s: session, a: account })
    .from(session)
    .innerJoin(account, eq(account.id, session.accountId))
    .where(eq(session.idHash, idHash));
  if (!row || !row.a.active) return null;
  if (sessionState(row.s, now, limits) !== 'valide') return null;
  if (shouldTouchSession(row.s.lastSeenAt, now)) {
    await db.update(session).set({ lastSeenAt: now }).where(eq(session.idHash, idHash));
  }
  return actorOf(db, row.a);
}

export async function closeSession(db: Db, secret: string, ip: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(session)
      .set({ revokedAt: new Date() })
      .where(and(eq(session.idHash, digest(secret)), isNull(session.revokedAt)))
      .returning();
    if (!row) return;
    const who = await findAccountById(tx, row.accountId);
    await recordAudit(tx, { id: row.accountId, label: who?.email ?? row.accountId, ip }, {
      action: 'deconnexion',
      objectType: 'session',
      objectId: row.accountId,
    });
  });
}

// --- Sign-in with an OpenID Connect provider (ProConnect) --------------------------------------

export async function findAccountByOidc(db: DbOrTx, issuer: string, subject: string): Promise<AccountRow | undefined> {
  const [row] = await db
    .select()
    .from(account)
    .where(and(eq(account.oidcIssuer, issuer), eq(account.oidcSubject, subject)));
  return row;
}

/** Ties a provider identity to an account, so that later sign-ins find it even if the address changes there. */
export async function linkOidcIdentity(db: Db, by: AuditActor, accountId: string, issuer: string, subject: string): Promise<AccountRow | undefined> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(account).where(eq(account.id, accountId));
    if (!before) return undefined;
    const [after] = await tx.update(account).set({ oidcIssuer: issuer, oidcSubject: subject }).where(eq(account.id, accountId)).returning();
    await recordAudit(tx, by, { action: 'liaison-oidc', objectType: 'compte', objectId: accountId, objectLabel: after!.email, before, after });
    return after;
  });
}

export type OidcSignInResult =
  | { ok: true; account: AccountRow; linked: boolean }
  | { ok: false; reason: 'inconnu' | 'inactif' };

/**
 * The account a provider identity signs in to. Accounts are never created here (agents are
 * invited by an administrator): the identity is found by its subject, or else by the address
 * the administrator invited, and then linked. A provider may give the same person a new subject
 * (ProConnect does when the person signs in through another identity provider): the address then
 * finds the account again and the link moves to the new subject, recorded in the audit log.
 */
export async function accountForOidcIdentity(
  db: Db,
  identity: { issuer: string; subject: string; email: string | undefined },
  ip: string,
): Promise<OidcSignInResult> {
  const bySubject = await findAccountByOidc(db, identity.issuer, identity.subject);
  if (bySubject) return bySubject.active ? { ok: true, account: bySubject, linked: false } : { ok: false, reason: 'inactif' };
  const byEmail = identity.email ? await findAccountByEmail(db, identity.email) : undefined;
  if (!byEmail) return { ok: false, reason: 'inconnu' };
  if (!byEmail.active) return { ok: false, reason: 'inactif' };
  const linked = await linkOidcIdentity(db, { id: byEmail.id, label: byEmail.email, ip }, byEmail.id, identity.issuer, identity.subject);
  return linked ? { ok: true, account: linked, linked: true } : { ok: false, reason: 'inconnu' };
}

/**
 * Keeps only what is still useful: sessions past their maximum lifetime (or signed out) and sign-in
 * failures already forgotten by the throttle carry an IP and a time, and nothing needs them any more.
 */
export async function purgeExpired(db: Db, limits: SessionLimits, now = new Date()): Promise<{ sessions: number; throttles: number }> {
  const oldestSession = new Date(now.getTime() - limits.maxHours * 3_600_000);
  const forgotten = new Date(now.getTime() - FAILURE_MEMORY_SECONDS * 1000);
  const sessions = await db.delete(session).where(or(lt(session.createdAt, oldestSession), isNotNull(session.revokedAt))).returning({ id: session.idHash });
  const throttles = await db
    .delete(loginThrottle)
    .where(and(lt(loginThrottle.lastFailureAt, forgotten), or(isNull(loginThrottle.lockedUntil), lt(loginThrottle.lockedUntil, now))))
    .returning({ key: loginThrottle.key });
  return { sessions: sessions.length, throttles: throttles.length };
}
