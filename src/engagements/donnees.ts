import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from '../platform/validation.ts';
import { NATURES_CIBLE } from './model.ts';

// The 2015 bilan of the common-law commitments (seed 004 part 2: 61 fiches de suivi) and the
// Préfecture's booklet of common-law schemes (seed 004 part 1), transcribed with their lines into
// data/<contrat>/bilan-2015/*.json and livret-dispositifs.json. Figures stay strings, as printed:
// what Pilotis reads from them is computed (model.ts) and stored beside them.

const lignes = z.array(z.number().int().positive()).min(1);
const citation = z.object({ texte: z.string().min(1), lignes, note: z.string().optional() });
const horsArbre = z.object({ de: z.number().int().positive(), a: z.number().int().positive(), nature: z.string() });
const plage = z.tuple([z.number().int().positive(), z.number().int().positive()]);

const mesure = z.object({
  sousMesure: z.string().nullable(),
  libelle: z.string().nullable(),
  reference: z.string().nullable(),
  cible: z.string().nullable(),
  resultat: z.string().nullable(),
  taux: z.string().nullable(),
  lignes,
  note: z.string().optional(),
});

const fiche = z.object({
  numero: z.number().int().positive(),
  titre: citation,
  axe: citation,
  thematique: citation,
  objectif: citation,
  indicateur: citation.nullable(),
  dateMiseAJour: citation.nullable(),
  services: citation.nullable(),
  colonnes: citation,
  mesures: z.array(mesure).min(1),
  methodologie: citation.nullable(),
  analyse: citation.nullable(),
  alertes: citation.nullable(),
  ajustement: citation.nullable(),
  plage,
  note: z.string().optional(),
});

export const fichierBilan = z.object({ source: z.string(), plage, fiches: z.array(fiche), horsArbre: z.array(horsArbre) });
export type FicheTranscrite = z.infer<typeof fiche>;
export type MesureTranscrite = z.infer<typeof mesure>;

const engagementLivret = z.object({
  ref: z.string().min(1),
  texte: z.string().min(1),
  lignes,
  repetitions: z.array(lignes).default([]),
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
export type EngagementLivret = z.infer<typeof engagementLivret>;

const dispositif = z.object({
  ref: z.string().min(1),
  nom: citation,
  section: z.string().nullable(),
  porteur: citation.nullable(),
  description: citation.nullable(),
  publicCible: citation.nullable(),
  contacts: citation.nullable(),
  liens: z.array(citation).default([]),
  engagements: z.array(engagementLivret),
  note: z.string().optional(),
});
export type DispositifLivret = z.infer<typeof dispositif>;

export const fichierLivret = z.object({
  source: z.string(),
  plage,
  sections: z.array(z.object({ titre: z.string(), lignes })),
  dispositifs: z.array(dispositif),
  horsArbre: z.array(horsArbre),
});
export type FichierLivret = z.infer<typeof fichierLivret>;

function lire(chemin: URL): unknown {
  return JSON.parse(readFileSync(fileURLToPath(chemin), 'utf8'));
}

function parse<T>(schema: z.ZodType<T>, valeur: unknown, nom: string): T {
  const r = schema.safeParse(valeur);
  if (!r.success) throw new Error(`${nom} : ${r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')} ${i.message}`).join(' ; ')}`);
  return r.data;
}

/** The parts of the 2015 bilan, in order, with their sheets in order. */
export function lireBilan2015(dataDir: URL): { parties: z.infer<typeof fichierBilan>[]; fiches: FicheTranscrite[] } {
  const dir = new URL('bilan-2015/', dataDir);
  if (!existsSync(fileURLToPath(dir))) return { parties: [], fiches: [] };
  const noms = readdirSync(fileURLToPath(dir)).filter((f) => /^partie-.*\.json$/.test(f)).sort();
  const parties = noms.map((f) => parse(fichierBilan, lire(new URL(f, dir)), `bilan-2015/${f}`));
  return { parties, fiches: parties.flatMap((p) => p.fiches).sort((a, b) => a.numero - b.numero) };
}

export function lireLivret(dataDir: URL): FichierLivret | null {
  const f = new URL('livret-dispositifs.json', dataDir);
  return existsSync(fileURLToPath(f)) ? parse(fichierLivret, lire(f), 'livret-dispositifs.json') : null;
}
