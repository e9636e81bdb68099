import {
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { contrat } from '../platform/tenancy/schema.ts';

/**
 * The priority geography and the reference territories of a contract.
 * type: commune | arrondissement | qpv | qva (quartier de veille active) | iris
 * geographie: the version of the zoning the code belongs to — '2015' (QP… codes), '2024' (QN… codes)
 * for QPV; the INSEE vintage for arrondissements and IRIS ('cog' when unstated). Both QPV versions
 * can live side by side: (type, geographie, code) is unique.
 */
export const territoire = pgTable(
  'territoire',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    type: text('type').notNull(),
    geographie: text('geographie').notNull().default('cog'),
    code: text('code').notNull(),
    nom: text('nom').notNull(),
    /** The name as the official file spells it, when it differs from the contract's. */
    nomOfficiel: text('nom_officiel'),
    source: text('source'),
    /** GeoJSON geometry (Polygon | MultiPolygon) in WGS84, as imported; null when unknown (QVA). */
    contour: jsonb('contour'),
    /** [minLon, minLat, maxLon, maxLat] of the contour, for the spatial index. */
    bbox: jsonb('bbox').$type<[number, number, number, number]>(),
    contourSource: text('contour_source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('territoire_code_uq').on(t.contratId, t.type, t.geographie, t.code)],
);

/** A territory lies (partly) in another: a QPV in the arrondissements it touches, an IRIS in its arrondissement. */
export const territoireLien = pgTable(
  'territoire_lien',
  {
    parentId: uuid('parent_id')
      .notNull()
      .references(() => territoire.id, { onDelete: 'cascade' }),
    enfantId: uuid('enfant_id')
      .notNull()
      .references(() => territoire.id, { onDelete: 'cascade' }),
    source: text('source').notNull(),
  },
  (t) => [primaryKey({ columns: [t.parentId, t.enfantId] }), index('territoire_lien_enfant_idx').on(t.enfantId)],
);

/**
 * A figure about a territory, stored as printed (texte) with its parsed value, vintage and source.
 * Several sources may give the same indicator for the same territory: all are kept, and pages show
 * where they disagree. Computed figures (totals) are never stored here as if they were sourced.
 */
export const territoireValeur = pgTable(
  'territoire_valeur',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    territoireId: uuid('territoire_id')
      .notNull()
      .references(() => territoire.id, { onDelete: 'cascade' }),
    /** population | revenu_median | taux_pauvrete | … (see territoires/model.ts INDICATEURS) */
    indicateur: text('indicateur').notNull(),
    valeur: numeric('valeur', { mode: 'number' }),
    /** Exactly as printed in the source ("14 970", "34,8"); null when the source gives no text form. */
    texte: text('texte'),
    /** Vintage of the figure: "RFL2011", "2013", "2022"… */
    millesime: text('millesime').notNull(),
    /** Where it comes from: "seed 002 l.901", "INSEE DEMO_2022 (insee_qpv2015_demo_2022.csv l.1283)". */
    source: text('source').notNull(),
    /** The import run that brought it, if any. */
    importId: uuid('import_id'),
  },
  (t) => [
    uniqueIndex('territoire_valeur_uq').on(t.territoireId, t.indicateur, t.millesime, t.source),
    index('territoire_valeur_territoire_idx').on(t.territoireId),
  ],
);

/**
 * The national address base (BAN), reference data shared by every contract of an instance.
 * voie_cle is the normalised street name used for offline geocoding (see territoires/geo/adresse.ts).
 */
export const adresse = pgTable(
  'adresse',
  {
    id: text('id').primaryKey(),
    numero: integer('numero'),
    rep: text('rep'),
    nomVoie: text('nom_voie').notNull(),
    voieCle: text('voie_cle').notNull(),
    codePostal: text('code_postal'),
    codeInsee: text('code_insee').notNull(),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    importId: uuid('import_id'),
  },
  (t) => [index('adresse_voie_idx').on(t.voieCle, t.numero), index('adresse_insee_idx').on(t.codeInsee)],
);

/** One run of `pilotis import` or of the admin import page: progress, outcome, and the file's digest. */
export const importGeo = pgTable(
  'import_geo',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contratId: uuid('contrat_id')
      .notNull()
      .references(() => contrat.id),
    kind: text('kind').notNull(),
    fichier: text('fichier').notNull(),
    sha256: text('sha256').notNull(),
    /** en_cours | termine | echec */
    statut: text('statut').notNull(),
    total: integer('total'),
    traites: integer('traites').notNull().default(0),
    ajoutes: integer('ajoutes').notNull().default(0),
    modifies: integer('modifies').notNull().default(0),
    inchanges: integer('inchanges').notNull().default(0),
    message: text('message'),
    erreurLigne: integer('erreur_ligne'),
    erreurColonne: text('erreur_colonne'),
    parId: uuid('par_id'),
    parLibelle: text('par_libelle').notNull(),
    debut: timestamp('debut', { withTimezone: true }).notNull().defaultNow(),
    fin: timestamp('fin', { withTimezone: true }),
  },
  (t) => [index('import_geo_contrat_idx').on(t.contratId, t.debut)],
);
