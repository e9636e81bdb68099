import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from '../platform/validation.ts';
import { NIVEAUX } from './model.ts';
import { NATURES_CIBLE } from '../engagements/model.ts';

// The contract's strategy tree, transcribed from seed 002 into data/<contrat>/arbre/*.json: one file
// for the axes and transversal priorities, one per orientation. Each item cites the lines its text
// comes from; src/contrat/donnees-arbre.test.ts reads them against the seed.

const lignes = z.array(z.number().int().positive()).min(1);
export const citation = z.object({ texte: z.string().min(1), lignes, note: z.string().optional() });
export const horsArbre = z.object({ de: z.number().int().positive(), a: z.number().int().positive(), nature: z.string() });
const plage = z.tuple([z.number().int().positive(), z.number().int().positive()]);

const noeud = z.object({
  ref: z.string().min(1),
  niveau: z.enum(NIVEAUX),
  numero: z.string().min(1),
  libelle: z.string().min(1),
  parent: z.string().nullable(),
  lignes,
  sommaire: citation.optional(),
  note: z.string().optional(),
});

export const cibleTranscrite = z.object({
  texte: z.string().min(1),
  lignes,
  noeud: z.string().nullable(),
  organisation: z.string().nullable(),
  indicateur: z.string().nullable(),
  valeur: z.string().nullable(),
  unite: z.string().nullable(),
  sens: z.enum(['hausse', 'baisse']).nullable(),
  nature: z.enum(NATURES_CIBLE),
  echeance: z.string().nullable(),
  reference: z.string().nullable(),
  note: z.string().optional(),
});

const details = z.object({
  contributionCitoyenne: citation.optional(),
  priorites: z.array(citation.extend({ numero: z.string() })).optional(),
  acteurs: z.array(citation).optional(),
  publics: z.array(citation).optional(),
  dispositifs: z.array(citation).optional(),
  interdependances: z.array(citation).optional(),
});
export type DetailsOrientation = z.infer<typeof details>;

export const fichierOrientation = z.object({
  source: z.string(),
  orientation: z.string(),
  plage,
  noeuds: z.array(noeud),
  orientationDetails: details,
  cibles: z.array(cibleTranscrite),
  horsArbre: z.array(horsArbre),
});

export const fichierAxes = z.object({
  source: z.string(),
  plages: z.array(plage),
  noeuds: z.array(noeud),
  sommairesOrientations: z.array(citation.extend({ ref: z.string() })),
  prioritesTransversales: z.array(citation.extend({ ref: z.string() })),
  amendementsAnnonces: z.array(citation),
  horsArbre: z.array(horsArbre),
});

export type FichierOrientation = z.infer<typeof fichierOrientation>;
export type FichierAxes = z.infer<typeof fichierAxes>;
export type NoeudTranscrit = z.infer<typeof noeud>;
export type CibleTranscrite = z.infer<typeof cibleTranscrite>;

export type ArbreTranscrit = { axes: FichierAxes; orientations: FichierOrientation[] };

/** Reads data/<contrat>/arbre/: axes.json and every orientation file, in orientation order. */
export function lireArbre(dataDir: URL): ArbreTranscrit {
  const dir = new URL('arbre/', dataDir);
  const lire = (nom: string) => JSON.parse(readFileSync(fileURLToPath(new URL(nom, dir)), 'utf8')) as unknown;
  const axes = fichierAxes.parse(lire('axes.json'));
  const noms = readdirSync(fileURLToPath(dir))
    .filter((f) => /^\d+\.\d+\.json$/.test(f))
    .sort((a, b) => a.localeCompare(b, 'fr', { numeric: true }));
  const orientations = noms.map((f) => {
    const r = fichierOrientation.safeParse(lire(f));
    if (!r.success) throw new Error(`arbre/${f} : ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join(' ; ')}`);
    return r.data;
  });
  return { axes, orientations };
}

const organisationsFile = z.object({
  organisations: z.array(
    z.object({
      nom: z.string().min(1),
      type: z.string(),
      signataire: z.string().nullable(),
      aliases: z.array(z.string()),
      sources: z.array(z.object({ document: z.string(), lignes })),
    }),
  ),
});
export type OrganisationTranscrite = z.infer<typeof organisationsFile>['organisations'][number];

/** The organisations the documents name (signatories, State services, City directions…), with their other names. */
export function lireOrganisations(dataDir: URL): OrganisationTranscrite[] {
  const f = new URL('organisations.json', dataDir);
  try {
    return organisationsFile.parse(JSON.parse(readFileSync(fileURLToPath(f), 'utf8'))).organisations;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** The quantified targets of every orientation, numbered as in their file. */
export function ciblesDuContrat(arbre: ArbreTranscrit) {
  return arbre.orientations.flatMap((o) => o.cibles.map((c, index) => ({ ...c, orientation: o.orientation, index })));
}
