import { boolean, date, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contrat } from '../platform/tenancy/schema.ts';
import { organisation } from '../contrat/schema.ts';

export type SourceEngagement = { document: string; lignes: number[]; texte: string; valeur: string | null; origine: string };
export type AlerteStockee = { code: string; message: string };

// A quantified (or qualitative) commitment of a signatory: what is measured, which way is better,
// the kind of target, the baseline and target as printed, with every source that states it. When two
// sources give different targets, both stay in `sources` and the page shows the disagreement.
export const engagement = pgTable(
  'engagement',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    ref: text('ref').notNull(),
    organisationId: uuid('organisation_id').references(() => organisation.id),
    porteur: text('porteur'),
    noeudRefs: jsonb('noeud_refs').$type<string[]>().notNull().default([]),
    dispositif: text('dispositif'),
    thematique: text('thematique'),
    intitule: text('intitule').notNull(),
    indicateur: text('indicateur'),
    unite: text('unite'),
    sens: text('sens').notNull().default('hausse'),
    nature: text('nature').notNull(),
    reference: text('reference'),
    cible: text('cible'),
    echeance: text('echeance'),
    jalons: jsonb('jalons').$type<{ date: string; valeur: string }[]>().notNull().default([]),
    sources: jsonb('sources').$type<SourceEngagement[]>().notNull().default([]),
    recherche: text('recherche').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('engagement_ref_uq').on(t.contratId, t.ref)],
);

// A yearly monitoring campaign: opened by the direction de projet with a deadline; its bilan is public once published.
export const campagne = pgTable(
  'campagne',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    annee: integer('annee').notNull(),
    // A historical campaign loaded from a document may have no printed deadline.
    echeance: date('echeance'),
    close: boolean('close').notNull().default(false),
    publiee: boolean('publiee').notNull().default(false),
    source: text('source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('campagne_annee_uq').on(t.contratId, t.annee)],
);

// One sheet of a campaign for one commitment. `version` grows at each save: a save made from an older
// version is refused (two people editing the same sheet get a conflict, not a silent overwrite).
export const ficheSuivi = pgTable(
  'fiche_suivi',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    campagneId: uuid('campagne_id')
      .notNull()
      .references(() => campagne.id),
    engagementId: uuid('engagement_id').references(() => engagement.id),
    organisationId: uuid('organisation_id').references(() => organisation.id),
    numero: integer('numero').notNull(),
    titre: text('titre').notNull(),
    axe: text('axe'),
    thematique: text('thematique'),
    objectif: text('objectif'),
    indicateur: text('indicateur'),
    services: text('services'),
    dateMiseAJour: text('date_mise_a_jour'),
    colonnes: text('colonnes'),
    methodologie: text('methodologie'),
    analyse: text('analyse'),
    pointsAlerte: text('points_alerte'),
    ajustement: text('ajustement'),
    statut: text('statut').notNull().default('a_remplir'),
    rouverte: boolean('rouverte').notNull().default(false),
    commentaire: text('commentaire'),
    version: integer('version').notNull().default(1),
    source: jsonb('source').$type<{ document: string; plage: [number, number]; lignes: Record<string, number[]> } | null>(),
    modifieLe: timestamp('modifie_le', { withTimezone: true }).notNull().defaultNow(),
    modifiePar: text('modifie_par'),
  },
  (t) => [uniqueIndex('fiche_numero_uq').on(t.campagneId, t.numero), index('fiche_organisation_idx').on(t.contratId, t.organisationId)],
);

// One measure of a sheet: the figures as entered or printed, what Pilotis reads from them, the rate it
// computes by rule beside the declared one, and the flags that follow.
export const mesure = pgTable('mesure', {
  id: uuid('id').primaryKey().defaultRandom(),
  ficheId: uuid('fiche_id')
    .notNull()
    .references(() => ficheSuivi.id),
  rang: integer('rang').notNull(),
  engagementId: uuid('engagement_id').references(() => engagement.id),
  sousMesure: text('sous_mesure'),
  libelle: text('libelle'),
  nature: text('nature').notNull(),
  sens: text('sens').notNull(),
  reference: text('reference'),
  cible: text('cible'),
  resultat: text('resultat'),
  dateResultat: text('date_resultat'),
  provisoire: boolean('provisoire').notNull().default(false),
  perimetre: text('perimetre'),
  tauxDeclare: text('taux_declare'),
  tauxCalcule: numeric('taux_calcule', { mode: 'number' }),
  formule: text('formule'),
  raison: text('raison'),
  alertes: jsonb('alertes').$type<AlerteStockee[]>().notNull().default([]),
  lignes: jsonb('lignes').$type<number[]>(),
  note: text('note'),
});

// Every step of a sheet's life (submitted, sent back with a comment, validated, reopened).
export const ficheEvenement = pgTable('fiche_evenement', {
  id: uuid('id').primaryKey().defaultRandom(),
  ficheId: uuid('fiche_id')
    .notNull()
    .references(() => ficheSuivi.id),
  etape: text('etape').notNull(),
  de: text('de').notNull(),
  vers: text('vers').notNull(),
  commentaire: text('commentaire'),
  par: text('par').notNull(),
  le: timestamp('le', { withTimezone: true }).notNull().defaultNow(),
});
