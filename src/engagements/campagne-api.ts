import type { FastifyInstance } from 'fastify';
import { z } from '../platform/validation.ts';
import { API_PREFIX, defineEndpoint } from '../platform/api/openapi.ts';
import { authorize, sendError } from '../platform/http/guard.tsx';
import { STATUTS_FICHE, type StatutFiche } from './model.ts';
import { campagneVisible, ficheVisible, suitFiche } from './acces.ts';
import { campagneParAnnee, listerCampagnes, listerFiches, type CampagneRow, type FicheComplete } from './store.ts';

// GET /api/v1/campagnes…: the monitoring campaigns and their sheets, with the same visibility as the
// pages: a campaign in progress to those who follow it, the validated sheets of a published bilan to all.

const TAG = 'Suivi des engagements';

const campagneSchema = z.object({
  annee: z.number().int(),
  echeance: z.string().nullable().describe('Date limite de saisie (AAAA-MM-JJ) ; null pour une campagne historique sans échéance imprimée'),
  close: z.boolean().describe('La direction de projet a clos la saisie'),
  publiee: z.boolean().describe('Le bilan est publié : ses fiches validées sont publiques'),
});

const mesureSchema = z.object({
  rang: z.number().int(),
  sousMesure: z.string().nullable(),
  libelle: z.string().nullable(),
  nature: z.string().describe('Nature de la cible : niveau, part_qpv, nombre, evolution_annuelle, reduction_ecart, couverture_qpv, jalon, qualitatif'),
  sens: z.string().describe('hausse ou baisse : le sens dans lequel le résultat s’améliore'),
  reference: z.string().nullable().describe('Situation de référence, telle qu’écrite'),
  cible: z.string().nullable().describe('Cible, telle qu’écrite'),
  resultat: z.string().nullable().describe('Résultat, tel qu’écrit ou saisi'),
  dateResultat: z.string().nullable(),
  provisoire: z.boolean(),
  perimetre: z.enum(['paris', 'qpv']).nullable(),
  tauxDeclare: z.string().nullable().describe('Taux de réalisation tel que déclaré (texte imprimé ou saisi)'),
  tauxCalcule: z.number().nullable().describe('Taux de réalisation calculé par Pilotis, en pourcentage'),
  formule: z.string().nullable().describe('Formule du taux calculé'),
  raison: z.string().nullable().describe('Pourquoi Pilotis ne calcule pas de taux'),
  alertes: z.array(z.object({ code: z.string(), message: z.string() })),
});

const ficheSchema = z.object({
  numero: z.number().int(),
  titre: z.string(),
  organisation: z.object({ id: z.string(), nom: z.string() }).nullable(),
  statut: z.enum(STATUTS_FICHE),
  axe: z.string().nullable(),
  thematique: z.string().nullable(),
  objectif: z.string().nullable(),
  indicateur: z.string().nullable(),
  services: z.string().nullable(),
  dateMiseAJour: z.string().nullable(),
  methodologie: z.string().nullable(),
  analyse: z.string().nullable(),
  pointsAlerte: z.string().nullable(),
  ajustement: z.string().nullable(),
  commentaire: z.string().nullable().describe('Dernier commentaire de la direction de projet (renvoi, réouverture) ; null pour qui ne suit pas la campagne'),
  version: z.number().int(),
  source: z.string().nullable().describe('Document et lignes d’où vient la fiche, pour une campagne chargée d’un document'),
  mesures: z.array(mesureSchema),
});

const campagne = (c: CampagneRow) => ({ annee: c.annee, echeance: c.echeance, close: c.close, publiee: c.publiee });

export function campagnesApi(app: FastifyInstance): void {
  const noms = async (contratId: string) => new Map((await app.ctx.scopes.organisation(app.ctx.db, contratId)).map((o) => [o.id, o.label]));

  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/campagnes`,
    summary: 'Les campagnes de suivi des engagements, avec le nombre de fiches par statut',
    description: 'Sans droit de suivi, seules les campagnes dont le bilan est publié sont listées.',
    tag: TAG,
    policy: 'contrat.voir',
    response: z.object({
      campagnes: z.array(campagneSchema.extend({ fiches: z.number().int(), parStatut: z.record(z.string(), z.number().int()).describe('Nombre de fiches par statut') })),
    }),
    handler: async (_input, req) => ({
      campagnes: (await listerCampagnes(app.ctx.db, req.contrat.id)).filter((c) => campagneVisible(req, c)).map((c) => ({ ...campagne(c), fiches: c.fiches, parStatut: c.parStatut })),
    }),
  });

  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/campagnes/:annee/fiches`,
    summary: 'Les fiches d’une campagne, chacune avec ses mesures, taux déclarés et calculés, et alertes',
    description:
      'Un référent partenaire reçoit les fiches de son organisation ; une fois le bilan publié, chacun reçoit les fiches validées. ' +
      'Réponse 404 quand la campagne n’existe pas.',
    tag: TAG,
    policy: 'contrat.voir',
    params: z.object({ annee: z.coerce.number().int().min(1900).max(2200).describe('Année de la campagne, par exemple 2015') }),
    response: z.object({ campagne: campagneSchema, fiches: z.array(ficheSchema) }),
    handler: async ({ params }, req, reply) => {
      const c = await campagneParAnnee(app.ctx.db, req.contrat.id, params.annee);
      if (!c) return sendError(req, reply, 404, `Aucune campagne de suivi pour ${params.annee}.`);
      if (!campagneVisible(req, c) && !authorize(req, reply, 'fiches.voir')) return reply;
      const organisations = await noms(req.contrat.id);
      const fiche = (f: FicheComplete) => ({
        ...f,
        statut: f.statut as StatutFiche,
        organisation: f.organisationId ? { id: f.organisationId, nom: organisations.get(f.organisationId) ?? '' } : null,
        commentaire: suitFiche(req, f) ? f.commentaire : null,
        source: f.source ? `${f.source.document} l.${f.source.plage[0]}-${f.source.plage[1]}` : null,
        mesures: f.mesures.map((m) => ({ ...m, perimetre: m.perimetre as 'paris' | 'qpv' | null })),
      });
      return { campagne: campagne(c), fiches: (await listerFiches(app.ctx.db, c.id)).filter((f) => ficheVisible(req, c, f)).map(fiche) };
    },
  });
}
