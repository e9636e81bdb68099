import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { recordAudit } from '../audit/store.ts';
import type { AuditActor } from '../audit/model.ts';
import { account, apiToken } from './schema.ts';
import { digest, looksLikeApiToken, newApiToken, shouldTouchSession } from './model.ts';
import { actorOf } from './store.ts';
import type { Actor } from './policy.ts';

export type ApiTokenRow = typeof apiToken.$inferSelect;

/** The account behind a personal API token, or null when unknown, revoked or the account is inactive. */
export async function resolveApiToken(db: Db, token: string, now = new Date()): Promise<Actor | null> {
  if (!looksLikeApiToken(token)) return null;
  const [row] = await db
    .select({ t: apiToken, a: account })
    .from(apiToken)
    .innerJoin(account, eq(account.id, apiToken.accountId))
    .where(and(eq(apiToken.tokenHash, digest(token)), isNull(apiToken.revokedAt)));
  if (!row || !row.a.active) return null;
  if (!row.t.lastUsedAt || shouldTouchSession(row.t.lastUsedAt, now)) {
    await db.update(apiToken).set({ lastUsedAt: now }).where(eq(apiToken.id, row.t.id));
  }
  return actorOf(db, row.a);
}

export async function listApiTokens(db: Db, accountId: string): Promise<ApiTokenRow[]> {
  return db.select().from(apiToken).where(eq(apiToken.accountId, accountId)).orderBy(desc(apiToken.createdAt));
}

/** Creates a token and returns its clear value, shown once and never stored. */
export async function createApiToken(db: Db, by: AuditActor, accountId: string, name: string): Promise<{ row: ApiTokenRow; token: string }> {
  const { token, prefix, hash } = newApiToken();
  const row = await db.transaction(async (tx) => {
    const [row] = await tx.insert(apiToken).values({ accountId, name, prefix, tokenHash: hash }).returning();
    await recordAudit(tx, by, { action: 'creation', objectType: 'jeton-api', objectId: row!.id, objectLabel: `${name} (${prefix}…)`, after: row });
    return row!;
  });
  return { row, token };
}

export async function revokeApiToken(db: Db, by: AuditActor, accountId: string, tokenId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(apiToken).where(and(eq(apiToken.id, tokenId), eq(apiToken.accountId, accountId)));
    if (!before || before.revokedAt) return false;
    const [after] = await tx.update(apiToken).set({ revokedAt: new Date() }).where(eq(apiToken.id, tokenId)).returning();
    await recordAudit(tx, by, { action: 'revocation', objectType: 'jeton-api', objectId: tokenId, objectLabel: `${before.name} (${before.prefix}…)`, before, after });
    return true;
  });
}
