import { sql } from 'drizzle-orm';
import { boolean, customType, date, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, index } from 'drizzle-orm/pg-core';
import { contrat } from '../platform/tenancy/schema.ts';

// Signatories, partners, City directions and associations of a contract. `aliases` are the other
// names the documents use for it ("Département de Paris" for the City acting as département…).
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
    aliases: jsonb('aliases').$type<string[]>().notNull().default([]),
    // The signatory a service acts for (a CAF mission for the CAF, the DIRECCTE for the State): whoever
    // speaks for the signatory also answers for its services' commitments.
    parentId: uuid('parent_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('organisation_nom_uq').on(t.contratId, t.nom)],
);

export type Citation = { texte: string; lignes: number[] };

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

// One item of the strategy tree (axe → orientation → objectif → priorité → objectif opérationnel →
// action → levier). `ref` is its stable reference in the contract ("1.1.1/P1/OO1/A2"); `recherche`
// holds its text without accents for French full-text search. A withdrawn item stays, dated.
export const noeud = pgTable(
  'noeud',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    ref: text('ref').notNull(),
    niveau: text('niveau').notNull(),
    numero: text('numero').notNull(),
    libelle: text('libelle').notNull(),
    parentRef: text('parent_ref'),
    ordre: integer('ordre').notNull(),
    document: text('document'),
    lignes: jsonb('lignes').$type<number[]>().notNull().default([]),
    sommaire: jsonb('sommaire').$type<Citation | null>(),
    details: jsonb('details').$type<Record<string, unknown> | null>(),
    note: text('note'),
    recherche: text('recherche').notNull(),
    // Computed once per write, indexed: a search does not stem 1 300 texts each time.
    vecteur: tsvector('vecteur').generatedAlwaysAs(sql`to_tsvector('french', recherche)`),
    avenantId: uuid('avenant_id'),
    retireParAvenantId: uuid('retire_par_avenant_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('noeud_ref_uq').on(t.contratId, t.ref), index('noeud_parent_idx').on(t.contratId, t.parentRef), index('noeud_vecteur_idx').using('gin', t.vecteur)],
);

// An amendment to the contract (the contract announces its fourth axis this way). Drafted, then
// adopted: its changes apply at adoption, and each keeps the item as it was before.
export const avenant = pgTable(
  'avenant',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    numero: integer('numero').notNull(),
    titre: text('titre').notNull(),
    objet: text('objet').notNull(),
    statut: text('statut').notNull().default('projet'),
    adopteLe: date('adopte_le'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('avenant_numero_uq').on(t.contratId, t.numero)],
);

export const avenantChangement = pgTable('avenant_changement', {
  id: uuid('id').primaryKey().defaultRandom(),
  avenantId: uuid('avenant_id')
    .notNull()
    .references(() => avenant.id),
  rang: integer('rang').notNull(),
  type: text('type').notNull(),
  ref: text('ref').notNull(),
  avant: jsonb('avant'),
  apres: jsonb('apres'),
  applique: boolean('applique').notNull().default(false),
});
