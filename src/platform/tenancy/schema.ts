import { boolean, date, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Every business row belongs to one contract: Pilotis is multi-contract from day one,
// and scoping every query by contract keeps sharding by contract possible later.
export const contrat = pgTable('contrat', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  nom: text('nom').notNull(),
  territoire: text('territoire').notNull(),
  debut: date('debut').notNull(),
  fin: date('fin').notNull(),
  parDefaut: boolean('par_defaut').notNull().default(false),
  source: text('source'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
