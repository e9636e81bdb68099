import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from '../platform/validation.ts';
import { API_PREFIX, defineEndpoint } from '../platform/api/openapi.ts';
import { can, mayEver } from '../platform/auth/policy.ts';
import type { Db } from '../platform/db/connect.ts';
import { authorize, sendError } from '../platform/http/guard.tsx';
import { citationSource, hrefFiche } from './engagement-views.tsx';
import { type LigneSuivi } from './engagement-page-views.tsx';
import { LIBELLES_NATURE, LIBELLES_SENS, NATURES_CIBLE, sourcesDivergentes, type NatureCible, type Sens } from './model.ts';
import type { SourceEngagement } from './schema.ts';
import { engagementParRef, ficheParNumero, listerCampagnes, listerEngagements, suiviEngagement, type EngagementRow } from './store.ts';

// GET /api/v1/engagements…: the same commitments as the pages, with the same filters and the same
// reading of their sources; the loaders here serve both.

const TAG = 'Engagements';

/** A form field left empty is no filter; anything else must be one of the listed values. */
const choixFacultatif = <T extends z.ZodType<string, string>>(schema: T, error: string) =>
  z
    .union([z.literal(''), schema], { error })
    .optional()
    .transform((v) => (v ? v : undefined));

export const filtresSchema = z.object({
  organisation: choixFacultatif(z.guid({ error: 'Choisissez un porteur dans la liste.' }), 'Choisissez un porteur dans la liste.').describe('Identifiant de l’organisation qui porte l’engagement'),
  nature: choixFacultatif(z.enum(NATURES_CIBLE), 'Choisissez une nature de cible dans la liste.').describe('Nature de la cible'),
  texte: z
    .string()
    .trim()
    .max(200, { error: 'Saisissez au plus 200 caractères.' })
    .optional()
    .transform((v) => (v ? v : undefined))
    .describe('Un mot de l’intitulé, de l’indicateur, du dispositif ou du porteur'),
  divergences: z
    .enum(['oui', 'non'], { error: 'Répondez oui ou non.' })
    .optional()
    .transform((v) => v === 'oui')
    .describe('« oui » : seulement les engagements dont les sources impriment des chiffres différents'),
});
export type FiltresValides = z.output<typeof filtresSchema>;

export const refSchema = z.object({ ref: z.string().regex(/^[\w.-]{1,120}$/, 'Référence invalide').describe('Référence de l’engagement : bilan2015-2, contrat-1.1-4…') });

/** All the commitments of the contract, and those the filters keep. */
export async function lireEngagements(db: Db, contratId: string, f: FiltresValides): Promise<{ tous: EngagementRow[]; lignes: EngagementRow[] }> {
  const tous = await listerEngagements(db, contratId);
  const filtre = f.organisation || f.nature || f.texte;
  const choisis = filtre ? await listerEngagements(db, contratId, { organisationId: f.organisation, nature: f.nature, texte: f.texte }) : tous;
  return { tous, lignes: f.divergences ? choisis.filter((e) => sourcesDivergentes(e.sources).length > 0) : choisis };
}

/** Each figure the sources disagree on, with the sources that print it; empty when they agree. */
export function divergencesDe(sources: SourceEngagement[]): { valeur: string; sources: SourceEngagement[] }[] {
  return sourcesDivergentes(sources).map((d) => ({ valeur: d.valeur, sources: sources.filter((s) => d.sources.includes(s)) }));
}

/**
 * One commitment and its follow-up as the reader may see it: the validated sheets of published campaigns
 * for everyone, the sheets of a campaign in progress for those who follow them (`masquees` counts the others).
 */
export async function lireEngagement(db: Db, req: FastifyRequest, ref: string): Promise<{ engagement: EngagementRow; suivi: LigneSuivi[]; masquees: number } | null> {
  const contratId = req.contrat.id;
  const engagement = await engagementParRef(db, contratId, ref);
  if (!engagement) return null;
  const [lignes, campagnes] = await Promise.all([suiviEngagement(db, engagement.id), listerCampagnes(db, contratId)]);
  const suivi: LigneSuivi[] = [];
  for (const { annee, numero, statut, mesure: m } of lignes) {
    const campagne = campagnes.find((c) => c.annee === annee);
    if (!campagne) continue;
    let visible = campagne.publiee && statut === 'validee';
    if (!visible && mayEver(req.actor, 'fiches.voir', contratId)) {
      const fiche = await ficheParNumero(db, campagne.id, numero);
      visible = fiche !== null && can(req.actor, 'fiches.voir', { contratId, organisationId: fiche.organisationId ?? undefined, organisationParents: fiche.organisationParentId ? [fiche.organisationParentId] : [] });
    }
    if (!visible) continue;
    const { sousMesure, cible, resultat, dateResultat, provisoire, tauxDeclare, tauxCalcule, formule, raison, alertes } = m;
    suivi.push({ annee, numero, statut, sousMesure, cible, resultat, dateResultat, provisoire, tauxDeclare, tauxCalcule, formule, raison, alertes });
  }
  return { engagement, suivi, masquees: lignes.length - suivi.length };
}

// ——— The API ———

const sourceSchema = z.object({
  document: z.string().describe('Numéro du document : 002 (contrat de ville), 004 (bilan 2015 et livret des dispositifs)'),
  lignes: z.array(z.number().int()).describe('Lignes du document'),
  origine: z.string().describe('contrat, livret, fiche, ou saisie (enregistré dans Pilotis par la direction de projet, sans ligne de document)'),
  citation: z.string().describe('La source telle que les pages la citent : « Bilan 2015 (document 004), l. 2522 »'),
  texte: z.string().describe('Le texte que la source imprime'),
  valeur: z.string().nullable().describe('Le chiffre tel qu’imprimé, ou null'),
});

const resumeSchema = z.object({
  ref: z.string(),
  intitule: z.string(),
  indicateur: z.string().nullable(),
  unite: z.string().nullable(),
  porteur: z.string().nullable().describe('Le porteur tel que les documents le nomment'),
  organisationId: z.string().nullable(),
  dispositif: z.string().nullable(),
  thematique: z.string().nullable(),
  nature: z.enum(NATURES_CIBLE),
  natureLibelle: z.string(),
  sens: z.enum(['hausse', 'baisse']),
  sensLibelle: z.string(),
  reference: z.string().nullable().describe('Valeur de référence, telle qu’imprimée'),
  cible: z.string().nullable().describe('Cible, telle qu’imprimée'),
  echeance: z.string().nullable(),
  jalons: z.array(z.object({ date: z.string(), valeur: z.string() })),
  noeuds: z.array(z.string()).describe('Références des éléments de l’arbre du contrat auxquels l’engagement se rattache'),
  sources: z.array(sourceSchema),
  divergences: z
    .array(z.object({ valeur: z.string(), sources: z.array(z.string()).describe('Citations des sources qui impriment ce chiffre') }))
    .describe('Vide quand les sources s’accordent ; sinon chaque chiffre avec ses sources, aucun n’étant retenu'),
});

const suiviSchema = z.object({
  annee: z.number().int(),
  fiche: z.number().int().describe('Numéro de la fiche de suivi'),
  url: z.string().describe('Page de la fiche'),
  statut: z.string(),
  sousMesure: z.string().nullable(),
  cible: z.string().nullable(),
  resultat: z.string().nullable().describe('Le résultat tel qu’imprimé ou saisi'),
  dateResultat: z.string().nullable(),
  provisoire: z.boolean(),
  tauxDeclare: z.string().nullable().describe('Le taux tel qu’imprimé ou saisi'),
  tauxCalcule: z.number().nullable().describe('Le taux calculé par Pilotis, en pour cent, à côté du taux déclaré'),
  formule: z.string().nullable(),
  raison: z.string().nullable().describe('Pourquoi aucun taux n’est calculé'),
  alertes: z.array(z.object({ code: z.string(), message: z.string() })),
});

function resume(e: EngagementRow) {
  return {
    ...e,
    nature: e.nature as NatureCible,
    natureLibelle: LIBELLES_NATURE[e.nature as NatureCible] ?? e.nature,
    sens: e.sens as Sens,
    sensLibelle: LIBELLES_SENS[e.sens as Sens] ?? e.sens,
    noeuds: e.noeudRefs,
    sources: e.sources.map((s) => ({ ...s, citation: citationSource(s, e.createdAt) })),
    divergences: sourcesDivergentes(e.sources).map((d) => ({ valeur: d.valeur, sources: d.sources.map((s) => citationSource(s, e.createdAt)) })),
  };
}

export function engagementsApi(app: FastifyInstance): void {
  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/engagements`,
    summary: 'Les engagements du contrat, avec leurs sources et leurs divergences',
    description: 'Mêmes filtres que la page « Les engagements du contrat ». Exemple : ?nature=part_qpv&divergences=oui.',
    tag: TAG,
    policy: 'contrat.voir',
    query: filtresSchema,
    response: z.object({ engagements: z.array(resumeSchema) }),
    handler: async ({ query }, req) => ({ engagements: (await lireEngagements(app.ctx.db, req.contrat.id, query)).lignes.map(resume) }),
  });

  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/engagements/:ref`,
    summary: 'Un engagement : ce qui est mesuré, toutes ses sources, son suivi campagne par campagne',
    description: 'Le suivi ne contient que les fiches validées des campagnes publiées, sauf pour qui suit les campagnes en cours. Réponse 404 quand la référence est inconnue.',
    tag: TAG,
    policy: 'contrat.voir',
    params: refSchema,
    response: resumeSchema.extend({ suivi: z.array(suiviSchema) }),
    handler: async ({ params }, req, reply) => {
      const lu = await lireEngagement(app.ctx.db, req, params.ref);
      if (!lu) return sendError(req, reply, 404, `Aucun engagement ne porte la référence « ${params.ref} ».`);
      if (!authorize(req, reply, 'contrat.voir', { organisationId: lu.engagement.organisationId ?? undefined })) return reply;
      return { ...resume(lu.engagement), suivi: lu.suivi.map(({ numero, ...l }) => ({ ...l, fiche: numero, url: hrefFiche(l.annee, numero) })) };
    },
  });
}
