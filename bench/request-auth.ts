// How much does resolving a signed-in request cost over the bare SQL it needs?
// Floor: the same session + account + roles lookups as raw SQL on the same PGlite, in the same run.
// Run: npm run bench:auth
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { openTestDatabase } from '../src/platform/db/testing.ts';
import { loadDefaultContrat, SYSTEM } from '../src/defaults.ts';
import { createAccount, grantRole, openSession, resolveSession } from '../src/platform/auth/store.ts';
import { digest } from '../src/platform/auth/model.ts';

const N = 2000;
const database = await openTestDatabase('pglite');
const contrat = await loadDefaultContrat(database.db);
const account = await createAccount(database.db, SYSTEM, { email: 'bench@exemple.fr', displayName: 'Bench', password: 'mot de passe de banc' });
await grantRole(database.db, SYSTEM, { accountId: account.id, contratId: contrat.id, role: 'direction_projet', scopeKind: null, scopeRef: null });
const secret = await openSession(database.db, account.id, 'mot-de-passe', '127.0.0.1');
const limits = { idleMinutes: 120, maxHours: 12 };

async function time(label: string, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await fn();
  const t = performance.now();
  for (let i = 0; i < N; i++) await fn();
  const perCall = (performance.now() - t) / N;
  console.log(`${label.padEnd(34)} ${(perCall * 1000).toFixed(1)} µs/requête`);
  return perCall;
}

const floor = await time('SQL brut (plancher)', async () => {
  const h = digest(secret);
  await database.db.execute(sql`select s.*, a.* from session s join account a on a.id = s.account_id where s.id_hash = ${h}`);
  await database.db.execute(sql`select * from role_assignment where account_id = ${account.id} order by created_at`);
});
const ours = await time('resolveSession (Pilotis)', () => resolveSession(database.db, secret, limits));
console.log(`ratio Pilotis / plancher : ${(ours / floor).toFixed(2)}`);
await database.close();
