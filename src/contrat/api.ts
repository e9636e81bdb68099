import type { FastifyInstance } from 'fastify';
import { z } from '../platform/validation.ts';
import { API_PREFIX, defineEndpoint } from '../platform/api/openapi.ts';
import { sendError } from '../platform/http/guard.tsx';
import { chemin, lectureChangement, NIVEAUX, numeroComplet, requeteTropCourte, MIN_RECHERCHE, sourceCompacte, type Niveau } from './model.ts';
import { ancetresDe, descendantsDe, historiqueNoeud, listerAvenants, listerNoeuds, noeudParRef, rechercherNoeuds, type NoeudRow } from './store.ts';
import { refSchema } from './contexte.ts';

// GET /api/v1/contrat/…: the strategy tree as it stands, one item with its chain, children and
// history, and the French full-text search. Public, like the pages that show the same items.

const TAG = 'Contrat';

const noeudSchema = z.object({
  ref: z.string().describe('Référence stable de l’élément : 1.1.1/P1/OO1/A2'),
  niveau: z.enum(NIVEAUX).describe('axe, orientation, objectif, priorite, objectif_operationnel, action ou levier'),
  numero: z.string().describe('Numéro tel que le contrat l’imprime : 1.1.1, Priorité 1, OO1, A2, L3'),
  numeroComplet: z.string().describe('Numéro complet : 1.1.1 · Priorité 1 · OO1 · A2'),
  libelle: z.string(),
  parent: z.string().nullable().describe('Référence du parent ; null pour un axe'),
  source: z.string().describe('Document et lignes d’où vient le texte : « 002 l.1559-1560 », ou « Avenant n° 1 »'),
});

const resume = (n: NoeudRow) => ({
  ref: n.ref,
  niveau: n.niveau as Niveau,
  numero: n.numero,
  numeroComplet: numeroComplet(n.ref),
  libelle: n.libelle,
  parent: n.parentRef,
  source: sourceCompacte(n.document, n.lignes),
});

const detailSchema = noeudSchema.extend({
  lignes: z.array(z.number().int()).describe('Numéros des lignes du document source'),
  sommaire: z.object({ texte: z.string(), lignes: z.array(z.number().int()) }).nullable().describe('Libellé au sommaire du contrat, quand il en a un'),
  note: z.string().nullable().describe('Note de transcription'),
  details: z.record(z.string(), z.unknown()).nullable().describe('Pour une orientation : acteurs, publics, dispositifs, interdépendances, contribution citoyenne, priorités, objectifs chiffrés (cibles)'),
  retire: z.boolean().describe('Vrai quand un avenant adopté a retiré l’élément'),
  chemin: z.array(noeudSchema).describe('Les éléments au-dessus, de l’axe au parent'),
  enfants: z.array(noeudSchema).describe('Les éléments rattachés directement'),
  historique: z
    .array(z.object({ avenant: z.number().int(), adopteLe: z.string().nullable(), type: z.string(), avant: z.string().nullable(), apres: z.string().nullable() }))
    .describe('Les changements apportés par les avenants adoptés'),
});

export function contratApi(app: FastifyInstance): void {
  const db = () => app.ctx.db;

  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/contrat/arbre`,
    summary: 'L’arbre stratégique du contrat, à plat : un élément par entrée, dans l’ordre du document',
    description: 'Les éléments retirés par avenant sont absents. Chaque élément cite sa source (document et lignes).',
    tag: TAG,
    policy: 'contrat.voir',
    response: z.object({ noeuds: z.array(noeudSchema) }),
    handler: async (_input, req) => ({ noeuds: (await listerNoeuds(db(), req.contrat.id)).map(resume) }),
  });

  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/contrat/arbre/:ref`,
    summary: 'Un élément de l’arbre : sa source, ses parents, ses enfants, son historique',
    description: 'La référence est encodée dans l’adresse : 1.1.1/P1 s’écrit 1.1.1%2FP1. Réponse 404 quand aucun élément ne la porte.',
    tag: TAG,
    policy: 'contrat.voir',
    params: z.object({ ref: refSchema.describe('Référence de l’élément, encodée : 1.1.1%2FP1%2FOO1') }),
    response: detailSchema,
    handler: async ({ params }, req, reply) => {
      const contratId = req.contrat.id;
      const n = await noeudParRef(db(), contratId, params.ref);
      if (!n) return sendError(req, reply, 404, `Aucun élément du contrat ne porte la référence « ${params.ref} ».`);
      const [haut, dessous, historique, avenants] = await Promise.all([
        ancetresDe(db(), contratId, [n.ref]),
        descendantsDe(db(), contratId, n.ref),
        historiqueNoeud(db(), contratId, n.ref),
        listerAvenants(db(), contratId),
      ]);
      const adopte = new Set(avenants.filter((a) => a.statut === 'adopte').map((a) => a.id));
      return {
        ...resume(n),
        lignes: n.lignes,
        sommaire: n.sommaire ?? null,
        note: n.note,
        details: n.details ?? null,
        retire: n.retireParAvenantId !== null && adopte.has(n.retireParAvenantId),
        chemin: chemin(new Map(haut.map((x) => [x.ref, x])), n.ref).slice(0, -1).map(resume),
        enfants: dessous.filter((x) => x.parentRef === n.ref).map(resume),
        historique: historique
          .filter((h) => h.applique)
          .map((h) => {
            const { type, avant, apres } = lectureChangement(h);
            return { avenant: h.avenant.numero, adopteLe: h.avenant.adopteLe, type, avant, apres };
          }),
      };
    },
  });

  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/contrat/recherche`,
    summary: 'Recherche en texte intégral (français) dans l’arbre du contrat',
    description: `Les mots sont ramenés à leur racine : « décrochages » trouve « décrochage ». ${MIN_RECHERCHE} lettres au moins ; 50 résultats au plus, les plus pertinents d’abord.`,
    tag: TAG,
    policy: 'contrat.voir',
    query: z.object({
      q: z
        .string({ error: 'Indiquez les mots à chercher (q).' })
        .trim()
        .max(200, 'La recherche est limitée à 200 caractères.')
        .refine((q) => !requeteTropCourte(q), `Saisissez au moins ${MIN_RECHERCHE} lettres ou chiffres.`)
        .describe('Les mots cherchés'),
    }),
    response: z.object({
      q: z.string(),
      total: z.number().int().describe('Nombre d’éléments trouvés'),
      resultats: z.array(noeudSchema.extend({ chemin: z.array(noeudSchema).describe('Les éléments au-dessus, de l’axe au parent') })),
    }),
    handler: async ({ query }, req) => {
      const { total, noeuds } = await rechercherNoeuds(db(), req.contrat.id, query.q);
      const parRef = new Map((await ancetresDe(db(), req.contrat.id, noeuds.map((n) => n.ref))).map((n) => [n.ref, n]));
      return { q: query.q, total, resultats: noeuds.map((n) => ({ ...resume(n), chemin: chemin(parRef, n.ref).slice(0, -1).map(resume) })) };
    },
  });
}
