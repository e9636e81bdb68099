import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/store.ts';
import type { Db } from '../db/connect.ts';
import type { AuditActor } from '../audit/model.ts';
import { account } from './schema.ts';
import { createAccount, findAccountByEmail, grantRole } from './store.ts';
import { ROLE_LABELS, ROLE_SCOPE, ROLES, type Role, type ScopeKind } from './policy.ts';

// Development only: one account per role so that a newcomer can look around at once.
export const DEMO_PASSWORD = 'pilotis-demo-2015';
export const demoEmail = (role: Role) => `${role.replaceAll('_', '-')}@demo.pilotis.local`;

export type DemoAccount = { email: string; role: Role; scopeLabel: string | null };

export async function ensureDemoAccounts(
  db: Db,
  by: AuditActor,
  contratId: string,
  scopeFor: (kind: ScopeKind, role: Role) => Promise<{ id: string; label: string } | undefined>,
): Promise<DemoAccount[]> {
  const out: DemoAccount[] = [];
  for (const role of ROLES) {
    const email = demoEmail(role);
    const kind = ROLE_SCOPE[role];
    const scope = kind ? await scopeFor(kind, role) : undefined;
    if (!(await findAccountByEmail(db, email))) {
      const row = await createAccount(db, by, { email, displayName: `Démo ${ROLE_LABELS[role]}`, password: DEMO_PASSWORD, isDemo: true });
      await grantRole(db, by, { accountId: row.id, contratId, role, scopeKind: kind, scopeRef: scope?.id ?? null, label: email });
    }
    out.push({ email, role, scopeLabel: scope?.label ?? null });
  }
  return out;
}

/** In production no demonstration account may sign in, even one left from a development run. */
export async function disableDemoAccounts(db: Db, by: AuditActor): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.update(account).set({ active: false }).where(and(eq(account.isDemo, true), eq(account.active, true))).returning();
    for (const row of rows) {
      await recordAudit(tx, by, { action: 'desactivation-demo', objectType: 'compte', objectId: row.id, objectLabel: row.email, before: { active: true }, after: { active: false } });
    }
    return rows.length;
  });
}
