import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from '../platform/validation.ts';
import { API_PREFIX, defineEndpoint } from '../platform/api/openapi.ts';
import { sendError } from '../platform/http/guard.tsx';
import { contoursDe, detaillerParCode, listerDetailles, type Contour, type TerritoireDetaille, type TerritoireResume } from './fiche-store.ts';
import { chiffrePrincipal, divergences, libelleIndicateur } from './fiche-model.ts';
import { TERRITOIRE_TYPES } from './model.ts';
import type { TerritoireLie, ValeurRow } from './store.ts';

// GET /api/v1/territoires…: the territories of the contract, their sourced figures and contours.
// Public, like the pages that show the same data.

const TAG = 'Territoires';
const typeSchema = z.enum(TERRITOIRE_TYPES).describe('commune, arrondissement, qpv (quartier prioritaire), qva (quartier de veille active) ou iris');
const geographieSchema = z
  .string()
  .regex(/^[\w-]{1,16}$/, 'Géographie invalide')
  .optional()
  .describe('Version du zonage : 2015 (codes QP…) ou 2024 (codes QN…) pour les QPV, « cog » pour les codes INSEE');

const valeurSchema = z.object({
  valeur: z.number().nullable().describe('La valeur lue'),
  texte: z.string().nullable().describe('La valeur telle que la source l’imprime'),
  millesime: z.string().describe('Millésime : RFL2011, 2013, 2022…'),
  source: z.string().describe('D’où vient la valeur (document et ligne)'),
});
const chiffreSchema = valeurSchema
  .extend({ autresSources: z.array(valeurSchema).describe('Les valeurs des autres sources ou millésimes, jamais fusionnées') })
  .nullable()
  .describe('La valeur du contrat quand il en donne une, sinon la plus récente ; null si aucune source');

const resumeSchema = z.object({
  code: z.string(),
  nom: z.string().describe('Le nom tel que le contrat l’écrit'),
  nomOfficiel: z.string().nullable().describe('Le nom du fichier officiel, quand il diffère'),
  type: typeSchema,
  geographie: z.string(),
  source: z.string().nullable(),
  population: chiffreSchema,
  revenuMedian: chiffreSchema.describe('Revenu fiscal (déclaré) médian par unité de consommation, en euros — la mesure du tableau du contrat (Insee, RFL2011)'),
  contour: z.string().nullable().describe('Adresse du contour GeoJSON ; null tant qu’aucun contour n’est importé'),
});

const lienSchema = z.object({ code: z.string(), nom: z.string(), type: z.string(), geographie: z.string(), source: z.string().describe('Source du rattachement') });

const detailSchema = resumeSchema.extend({
  valeurs: z.array(valeurSchema.extend({ indicateur: z.string(), libelle: z.string() })).describe('Tous les chiffres, de toutes les sources'),
  divergences: z
    .array(z.object({ indicateur: z.string(), valeurs: z.array(valeurSchema) }))
    .describe('Les indicateurs pour lesquels les sources donnent des valeurs différentes'),
  parents: z.array(lienSchema).describe('Les territoires où celui-ci se trouve (arrondissements d’un QPV…)'),
  enfants: z.array(lienSchema).describe('Les territoires qu’il contient'),
});

const geometrySchema = z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.any()) });
const featureSchema = z.object({
  type: z.literal('Feature'),
  properties: z.object({ code: z.string(), nom: z.string(), type: z.string(), geographie: z.string(), source: z.string().nullable() }),
  geometry: geometrySchema,
});
const collectionSchema = z.object({ type: z.literal('FeatureCollection'), features: z.array(featureSchema) });

const valeur = (v: ValeurRow) => ({ valeur: v.valeur, texte: v.texte, millesime: v.millesime, source: v.source });

function chiffre(valeurs: ValeurRow[], indicateur: string) {
  const { principal, autres } = chiffrePrincipal(valeurs.filter((v) => v.indicateur === indicateur));
  return principal ? { ...valeur(principal), autresSources: autres.map(valeur) } : null;
}

const contourUrl = (t: TerritoireResume) =>
  t.aContour ? `${API_PREFIX}/territoires/${encodeURIComponent(t.code)}/contour?type=${t.type}&geographie=${encodeURIComponent(t.geographie)}` : null;

function resume(d: TerritoireDetaille) {
  const t = d.territoire;
  return {
    code: t.code,
    nom: t.nom,
    nomOfficiel: t.nomOfficiel,
    type: t.type as (typeof TERRITOIRE_TYPES)[number],
    geographie: t.geographie,
    source: t.source,
    population: chiffre(d.valeurs, 'population'),
    revenuMedian: chiffre(d.valeurs, 'revenu_median'),
    contour: contourUrl(t),
  };
}

const lien = (l: TerritoireLie) => ({ code: l.territoire.code, nom: l.territoire.nom, type: l.territoire.type, geographie: l.territoire.geographie, source: l.source });

const toFeature = (c: Contour) => ({
  type: 'Feature' as const,
  properties: { code: c.code, nom: c.nom, type: c.type, geographie: c.geographie, source: c.contourSource },
  geometry: c.geometry,
});

const selection = z.object({ type: typeSchema.optional(), geographie: geographieSchema });
const codeParams = z.object({ code: z.string().min(1).max(40).describe('Code du territoire : QP075012, 75118, 751187102…') });

/** The one territory a code names, or null once the answer is sent (404, or 400 when the code is ambiguous). */
async function unTerritoire(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  code: string,
  query: z.infer<typeof selection>,
): Promise<TerritoireDetaille | null> {
  const found = await detaillerParCode(app.ctx.db, req.contrat.id, { code, type: query.type, geographie: query.geographie });
  if (!found.length) {
    sendError(req, reply, 404, `Aucun territoire ne porte le code « ${code} » dans ce contrat.`);
    return null;
  }
  if (found.length > 1) {
    const kinds = found.map((f) => `type=${f.territoire.type}&geographie=${f.territoire.geographie}`).join(' ou ');
    sendError(req, reply, 400, `Plusieurs territoires portent le code « ${code} » : précisez ${kinds}.`);
    return null;
  }
  return found[0]!;
}

export function territoiresApi(app: FastifyInstance): void {
  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/territoires`,
    summary: 'Les territoires du contrat (par défaut les quartiers prioritaires), avec population et revenu médian sourcés',
    description:
      'Chaque chiffre porte son texte imprimé, son millésime et sa source ; les valeurs des autres sources sont dans autresSources. ' +
      'Exemple : ?type=qpv&geographie=2015.',
    tag: TAG,
    policy: 'portail.voir',
    query: z.object({ type: typeSchema.default('qpv'), geographie: geographieSchema }),
    response: z.object({ territoires: z.array(resumeSchema) }),
    handler: async ({ query }, req) => ({
      territoires: (await listerDetailles(app.ctx.db, req.contrat.id, query)).map(resume),
    }),
  });

  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/territoires/contours`,
    summary: 'Les contours importés des territoires d’un type, en GeoJSON (FeatureCollection, WGS84)',
    description: 'Les territoires sans contour importé sont absents de la collection.',
    tag: TAG,
    policy: 'portail.voir',
    query: z.object({ type: typeSchema, geographie: geographieSchema }),
    response: collectionSchema,
    handler: async ({ query }, req, reply) => {
      reply.type('application/geo+json; charset=utf-8');
      return { type: 'FeatureCollection' as const, features: (await contoursDe(app.ctx.db, req.contrat.id, query)).map(toFeature) };
    },
  });

  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/territoires/:code`,
    summary: 'Un territoire : tous ses chiffres et leurs sources, les écarts entre sources, les territoires qui le contiennent',
    description: 'Réponse 404 quand aucun territoire ne porte ce code ; 400 quand plusieurs en portent un (précisez type et geographie).',
    tag: TAG,
    policy: 'portail.voir',
    params: codeParams,
    query: selection,
    response: detailSchema,
    handler: async ({ params, query }, req, reply) => {
      const t = await unTerritoire(app, req, reply, params.code, query);
      if (!t) return reply;
      return {
        ...resume(t),
        valeurs: t.valeurs.map((v) => ({ indicateur: v.indicateur, libelle: libelleIndicateur(v.indicateur), ...valeur(v) })),
        divergences: divergences(t.valeurs).map((x) => ({ indicateur: x.indicateur, valeurs: x.valeurs.map(valeur) })),
        parents: t.parents.map(lien),
        enfants: t.enfants.map(lien),
      };
    },
  });

  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/territoires/:code/contour`,
    summary: 'Le contour d’un territoire, en GeoJSON (Feature, WGS84)',
    description: 'Réponse 404 quand le territoire est inconnu ou que son contour n’a pas été importé.',
    tag: TAG,
    policy: 'portail.voir',
    params: codeParams,
    query: selection,
    response: featureSchema,
    handler: async ({ params, query }, req, reply) => {
      const d = await unTerritoire(app, req, reply, params.code, query);
      if (!d) return reply;
      const t = d.territoire;
      const [c] = await contoursDe(app.ctx.db, req.contrat.id, { type: t.type, geographie: t.geographie, code: t.code });
      if (!c) return sendError(req, reply, 404, `Le contour du territoire « ${t.code} » n’a pas encore été importé.`);
      reply.type('application/geo+json; charset=utf-8');
      return toFeature(c);
    },
  });
}
