import { pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contrat } from '../platform/tenancy/schema.ts';

// Signatories, partners, City directions and associations of a contract.
export const organisation = pgTable(
  'organisation',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    nom: text('nom').notNull(),
    type: text('type').notNull(),
    source: text('source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('organisation_nom_uq').on(t.contratId, t.nom)],
);
