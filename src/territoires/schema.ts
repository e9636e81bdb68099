import { pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contrat } from '../platform/tenancy/schema.ts';

// The priority geography. This issue only needs enough of it to scope agents' roles;
// populations, incomes and contours arrive with the territoires issue.
export const territoire = pgTable(
  'territoire',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    type: text('type').notNull(),
    code: text('code').notNull(),
    nom: text('nom').notNull(),
    source: text('source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('territoire_code_uq').on(t.contratId, t.type, t.code)],
);
