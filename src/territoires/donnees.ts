import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from '../platform/validation.ts';

// The contract's own account of its priority geography, transcribed from the seed with line numbers
// (data/<contrat>/qpv.json and qva.json). Loaded into the database at start; the texts that are not
// figures (the quartier vécu rule, the statement on former CUCS perimeters) are read from here.

const lignes = z.tuple([z.number().int().positive(), z.number().int().positive()]);
const chiffre = z.object({
  indicateur: z.string(),
  texte: z.string(),
  source: z.string(),
  lignes,
  extrait: z.string(),
  millesime: z.string(),
  noteMillesime: z.string(),
});

export const qpvFile = z.object({
  source: z.string(),
  geographie: z.string(),
  contrat: z.object({
    seuilBasRevenus: chiffre,
    nombreQuartiers: chiffre,
    population: chiffre,
    arrondissements: z.object({
      texte: z.string(),
      source: z.string(),
      lignes,
      extrait: z.string(),
      extraitLignes: lignes,
      codes: z.array(z.string()),
    }),
  }),
  tableau: z.object({
    titre: z.string(),
    ligne: z.number().int(),
    colonnes: z.array(z.object({ titre: z.string(), lignes, indicateur: z.string().optional() })),
    noteSource: z.object({ texte: z.string(), ligne: z.number().int() }),
    millesime: z.string(),
  }),
  quartiers: z.array(
    z.object({
      code: z.string(),
      nomOfficiel: z.string(),
      nom: z.string(),
      communePrincipale: z.string(),
      arrondissements: z.array(z.string()).min(1),
      population: z.string(),
      revenuMedian: z.string(),
      ligne: z.number().int().positive(),
    }),
  ),
  quartierVecu: z.object({
    titre: z.string(),
    ligneTitre: z.number().int(),
    lignes,
    source: z.string(),
    texte: z.string(),
    seuil: z.object({ texte: z.string(), valeur: z.number(), ligne: z.number().int() }),
  }),
});
export type QpvFile = z.infer<typeof qpvFile>;

const extraitSource = z.object({ extrait: z.string(), lignes, source: z.string() });
export const qvaFile = z.object({
  source: z.string(),
  geographie: z.string(),
  anciensPerimetresCucs: extraitSource.extend({ note: z.string() }),
  classement: extraitSource,
  quartiers: z.array(
    z.object({ code: z.string(), nom: z.string(), extrait: z.string(), arrondissements: z.array(z.string()).min(1), lignes }),
  ),
});
export type QvaFile = z.infer<typeof qvaFile>;

export type GeographieContrat = { qpv: QpvFile; qva: QvaFile };

/** "seed 002 l.847-848", or "seed 002 l.848" when the span is one line. */
export function sourceLignes(document: string, [de, a]: readonly [number, number]): string {
  return `${document} l.${de === a ? de : `${de}-${a}`}`;
}

/** The seed a data file was transcribed from, as its `source` names it ("seed 002 (…)" → "seed 002"). */
export function documentSource(source: string): string {
  const m = /^seed \d+/.exec(source);
  if (!m) throw new Error(`Source sans document identifiable : « ${source} »`);
  return m[0];
}

export function lireGeographieContrat(dataDir: URL): GeographieContrat {
  const read = <T>(name: string, schema: z.ZodType<T>): T =>
    schema.parse(JSON.parse(readFileSync(fileURLToPath(new URL(name, dataDir)), 'utf8')));
  return { qpv: read('qpv.json', qpvFile), qva: read('qva.json', qvaFile) };
}

/** The embedded default contract's geography (Paris 2015-2020). */
export function geographieParis(): GeographieContrat {
  return lireGeographieContrat(new URL('../../data/paris-2015-2020/', import.meta.url));
}
