import { bigint, customType, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contrat } from '../platform/tenancy/schema.ts';
import { account } from '../platform/auth/schema.ts';
import { organisation } from '../contrat/schema.ts';
import type { LigneBudget } from './model.ts';

// Amounts are integer cents (bigint, read as numbers: a contract's envelopes stay far below 2^53 cents).
const centimes = (name: string) => bigint(name, { mode: 'number' });

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

// A yearly call for projects (appel à projets): its dates, the contract items it funds (tree refs),
// the territories where a project must act, the themes files are sorted by on the committee table.
export const campagneAap = pgTable(
  'campagne_aap',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    annee: integer('annee').notNull(),
    titre: text('titre').notNull(),
    presentation: text('presentation').notNull().default(''),
    ouverture: date('ouverture').notNull(),
    // Requests are accepted until the end of this day, Paris time.
    cloture: date('cloture').notNull(),
    prioriteRefs: jsonb('priorite_refs').$type<string[]>().notNull().default([]),
    territoireIds: jsonb('territoire_ids').$type<string[]>().notNull().default([]),
    thematiques: jsonb('thematiques').$type<string[]>().notNull().default([]),
    // The demonstration campaign shipped with the default: its associations are fictitious.
    demonstration: text('demonstration'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('campagne_aap_annee_uq').on(t.contratId, t.annee)],
);

// One funder of a campaign (État programme 147, Ville, Région…), its instructing service, its envelope,
// and the SIRET that the open-data export names as the grantor.
export const financeurAap = pgTable(
  'financeur_aap',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    campagneId: uuid('campagne_id')
      .notNull()
      .references(() => campagneAap.id),
    code: text('code').notNull(),
    nom: text('nom').notNull(),
    organisationId: uuid('organisation_id').references(() => organisation.id),
    serviceInstructeur: text('service_instructeur').notNull().default(''),
    siret: text('siret'),
    enveloppeCentimes: centimes('enveloppe_centimes').notNull().default(0),
    ordre: integer('ordre').notNull().default(0),
  },
  (t) => [uniqueIndex('financeur_aap_code_uq').on(t.campagneId, t.code)],
);

// A territorial instruction team: the files of its territories go to it (chef de projet, délégué du préfet).
export const groupeInstruction = pgTable('groupe_instruction', {
  id: uuid('id').primaryKey().defaultRandom(),
  contratId: uuid('contrat_id')
    .notNull()
    .references(() => contrat.id),
  campagneId: uuid('campagne_id')
    .notNull()
    .references(() => campagneAap.id),
  nom: text('nom').notNull(),
  territoireIds: jsonb('territoire_ids').$type<string[]>().notNull().default([]),
  membres: text('membres').notNull().default(''),
  ordre: integer('ordre').notNull().default(0),
});

export type Representant = { qualite: string; nom: string; prenom: string; courriel: string; telephone: string };
export type LocalisationStructure = { statut: string; qpvCode: string | null; qpvNom: string | null; phrase: string };

// An association's profile, entered once and reused for every request (CERFA 12156 part 1).
export const structure = pgTable(
  'structure',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    sigle: text('sigle'),
    siret: text('siret').notNull(),
    rna: text('rna'),
    objet: text('objet').notNull().default(''),
    adresse: text('adresse').notNull(),
    localisation: jsonb('localisation').$type<LocalisationStructure | null>(),
    courriel: text('courriel').notNull().default(''),
    telephone: text('telephone').notNull().default(''),
    representants: jsonb('representants').$type<Representant[]>().notNull().default([]),
    // Fictitious associations of the demonstration campaign say so on every page that shows them.
    fictive: text('fictive'),
    version: integer('version').notNull().default(1),
    modifieLe: timestamp('modifie_le', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('structure_organisation_uq').on(t.organisationId)],
);

// A document of the association (statuts, RIB, comptes, rapport d'activité), valid for a period and
// attached to every request made while it is valid.
export const documentStructure = pgTable(
  'document_structure',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    type: text('type').notNull(),
    nomFichier: text('nom_fichier').notNull(),
    typeMime: text('type_mime').notNull(),
    taille: integer('taille').notNull(),
    sha256: text('sha256').notNull(),
    contenu: bytea('contenu').notNull(),
    valideDu: date('valide_du'),
    valideJusquAu: date('valide_jusqu_au'),
    deposeLe: timestamp('depose_le', { withTimezone: true }).notNull().defaultNow(),
    deposePar: text('depose_par').notNull(),
    retireLe: timestamp('retire_le', { withTimezone: true }),
  },
  (t) => [index('document_structure_org_idx').on(t.organisationId)],
);

export type PublicDossier = { nombre: number | null; ages: string; femmes: number | null; hommes: number | null; partQpv: number | null; description: string };

// A request for a subsidy (CERFA 12156 parts 3 to 6): the project, its public, the QPV and the contract
// items it serves, its budget. The co-funders' lines live in `financement`; `version` detects concurrent edits.
export const dossier = pgTable(
  'dossier',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    campagneId: uuid('campagne_id')
      .notNull()
      .references(() => campagneAap.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    numero: integer('numero').notNull(),
    statut: text('statut').notNull().default('brouillon'),
    titre: text('titre').notNull(),
    objectifs: text('objectifs').notNull().default(''),
    description: text('description').notNull().default(''),
    dateDebut: date('date_debut'),
    dateFin: date('date_fin'),
    lieux: text('lieux').notNull().default(''),
    public: jsonb('public').$type<PublicDossier>().notNull(),
    territoireIds: jsonb('territoire_ids').$type<string[]>().notNull().default([]),
    noeudRefs: jsonb('noeud_refs').$type<string[]>().notNull().default([]),
    thematique: text('thematique'),
    // Charges, and produits other than the campaign's co-funders (own funds, sales, other grants).
    charges: jsonb('charges').$type<LigneBudget[]>().notNull().default([]),
    autresProduits: jsonb('autres_produits').$type<LigneBudget[]>().notNull().default([]),
    dupliqueDeId: uuid('duplique_de_id'),
    deposeLe: timestamp('depose_le', { withTimezone: true }),
    decideLe: timestamp('decide_le', { withTimezone: true }),
    decisionMotif: text('decision_motif'),
    version: integer('version').notNull().default(1),
    creeLe: timestamp('cree_le', { withTimezone: true }).notNull().defaultNow(),
    modifieLe: timestamp('modifie_le', { withTimezone: true }).notNull().defaultNow(),
    creePar: text('cree_par').notNull(),
  },
  (t) => [
    uniqueIndex('dossier_numero_uq').on(t.campagneId, t.numero),
    index('dossier_campagne_statut_idx').on(t.campagneId, t.statut),
    index('dossier_organisation_idx').on(t.organisationId),
  ],
);

// What a request asks of one co-funder (a produits line of account 74), what the instructors propose,
// what the committee grants. A co-funder outside the campaign (another grant) has no financeurId.
export const financement = pgTable(
  'financement',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => dossier.id),
    financeurId: uuid('financeur_id').references(() => financeurAap.id),
    libelle: text('libelle').notNull(),
    demandeCentimes: centimes('demande_centimes').notNull(),
    proposeCentimes: centimes('propose_centimes'),
    accordeCentimes: centimes('accorde_centimes'),
    ordre: integer('ordre').notNull().default(0),
  },
  (t) => [index('financement_dossier_idx').on(t.dossierId), index('financement_financeur_idx').on(t.financeurId)],
);

// An instructor's opinion for one funder of a file; the latest one per funder is the current one.
export const avisFinanceur = pgTable(
  'avis_financeur',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => dossier.id),
    financeurId: uuid('financeur_id')
      .notNull()
      .references(() => financeurAap.id),
    avis: text('avis').notNull(),
    proposeCentimes: centimes('propose_centimes'),
    commentaire: text('commentaire').notNull().default(''),
    auteurId: uuid('auteur_id').references(() => account.id),
    auteur: text('auteur').notNull(),
    le: timestamp('le', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('avis_dossier_idx').on(t.dossierId)],
);

// The instructors' private notes on a file: never shown to the association.
export const annotationDossier = pgTable('annotation_dossier', {
  id: uuid('id').primaryKey().defaultRandom(),
  contratId: uuid('contrat_id')
    .notNull()
    .references(() => contrat.id),
  dossierId: uuid('dossier_id')
    .notNull()
    .references(() => dossier.id),
  texte: text('texte').notNull(),
  auteurId: uuid('auteur_id').references(() => account.id),
  auteur: text('auteur').notNull(),
  le: timestamp('le', { withTimezone: true }).notNull().defaultNow(),
});

// The conversation between the instruction team and the association about one file.
export const messageDossier = pgTable(
  'message_dossier',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => dossier.id),
    // association | instruction
    cote: text('cote').notNull(),
    texte: text('texte').notNull(),
    auteurId: uuid('auteur_id').references(() => account.id),
    auteur: text('auteur').notNull(),
    le: timestamp('le', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('message_dossier_idx').on(t.dossierId)],
);

// Every step of a file's life, dated, with who took it (the audit log keeps the full before/after).
export const dossierEvenement = pgTable(
  'dossier_evenement',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => dossier.id),
    etape: text('etape').notNull(),
    de: text('de').notNull(),
    vers: text('vers').notNull(),
    commentaire: text('commentaire'),
    par: text('par').notNull(),
    le: timestamp('le', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('dossier_evenement_idx').on(t.dossierId)],
);
