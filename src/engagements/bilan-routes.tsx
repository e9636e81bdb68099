import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from '../platform/validation.ts';
import { can } from '../platform/auth/policy.ts';
import { API_PREFIX, defineEndpoint } from '../platform/api/openapi.ts';
import { authorize, sendError } from '../platform/http/guard.tsx';
import { sendPage } from '../platform/http/render.tsx';
import { rapportEnDocx } from '../platform/exports/docx.ts';
import { rapportEnPdf } from '../platform/exports/pdf.ts';
import { rapportEnXlsx } from '../platform/exports/xlsx.ts';
import { STATUTS_FICHE } from './model.ts';
import { calculerBilan } from './bilan-model.ts';
import { classeurBilan, documentBilan, type ContexteBilan } from './bilan-export.ts';
import { BilanPage } from './bilan-views.tsx';
import { fichesDuBilan, lignesMesures, mesuresEnCsv, type FicheDuBilan } from './export-fiches.ts';
import { sourceDocument } from './fiche-views.tsx';
import { aujourdhui } from './acces.ts';
import { campagneParAnnee, type CampagneRow } from './store.ts';

// The bilan of a campaign: the page, the workbook, the committee's document (PDF, Word), the measures as
// CSV and through the API. A published bilan is public and counts the validated sheets; before that, it
// is for those who follow the whole campaign (direction de projet, agents): a partner's référent follows
// its own organisation's sheets, a partial count that would read as the campaign's.

type AnneeParams = { Params: { annee: string } };
const anneeParam = z.coerce.number().int().min(1900).max(2200);

type BilanCharge = { c: CampagneRow; fiches: FicheDuBilan[]; interne: boolean; perimetre: string | null };

/** Follows the whole campaign: sees every sheet, whatever its status, and the bilan before it is published. */
const suitCampagne = (req: FastifyRequest) => can(req.actor, 'fiches.voir', { contratId: req.contrat.id });

async function charger(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, annee: number): Promise<BilanCharge | null> {
  const c = await campagneParAnnee(app.ctx.db, req.contrat.id, annee);
  if (!c) {
    void sendError(req, reply, 404, `Aucune campagne de suivi pour ${annee}.`);
    return null;
  }
  const interne = suitCampagne(req);
  if (!interne && !c.publiee) {
    authorize(req, reply, 'fiches.voir');
    return null;
  }
  const toutes = await fichesDuBilan(app.ctx.db, req.contrat.id, c.id, app.ctx.scopes.organisation);
  const fiches = interne ? toutes : toutes.filter((f) => f.statut === 'validee');
  const perimetre = fiches.length < toutes.length ? 'Seules les fiches validées par la direction de projet figurent dans ce bilan public.' : null;
  // What a signed-in person sees may go beyond the public bilan: no shared cache keeps it.
  if (req.actor) reply.header('cache-control', 'no-store');
  return { c, fiches, interne, perimetre };
}

const lignesSchema = z.object({
  fiche: z.number().int().describe('Numéro de la fiche dans la campagne'),
  sous_mesure: z.string().nullable().describe('a, b, c… quand la fiche suit plusieurs mesures'),
  titre: z.string(),
  axe: z.string().nullable().describe('Axe du contrat, tel que la fiche l’imprime'),
  thematique: z.string().nullable(),
  service: z.string().nullable().describe('Organisation ou service qui renseigne la fiche'),
  indicateur: z.string().nullable(),
  nature: z.string().describe('Nature de la cible : niveau, part_qpv, nombre, evolution_annuelle, reduction_ecart, couverture_qpv, jalon, qualitatif'),
  sens: z.string().describe('hausse ou baisse'),
  reference: z.string().nullable().describe('Situation de référence, telle qu’écrite'),
  cible: z.string().nullable().describe('Cible, telle qu’écrite'),
  resultat: z.string().nullable().describe('Résultat, tel qu’écrit ou saisi'),
  date_resultat: z.string().nullable(),
  taux_declare: z.string().nullable().describe('Taux de réalisation tel que déclaré'),
  taux_calcule: z.number().nullable().describe('Taux de réalisation calculé par Pilotis, en pourcentage'),
  formule: z.string().nullable(),
  raison: z.string().nullable().describe('Pourquoi Pilotis ne calcule pas de taux'),
  alertes: z.array(z.object({ code: z.string(), message: z.string() })),
  statut: z.string().describe(`Statut de la fiche : ${STATUTS_FICHE.join(', ')}`),
  source: z.string().nullable().describe('Document et lignes d’où viennent les chiffres, pour une campagne chargée d’un document'),
});

function mesuresApi(app: FastifyInstance): void {
  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/campagnes/:annee/mesures`,
    summary: 'Les mesures d’une campagne, une par ligne, avec taux déclaré, taux calculé et alertes',
    description:
      'Les mêmes colonnes que le téléchargement CSV. Une fois le bilan publié, chacun reçoit les mesures des fiches validées ; avant, ' +
      'seules la direction de projet et les agents y ont accès. Réponse 404 quand la campagne n’existe pas.',
    tag: 'Suivi des engagements',
    policy: 'contrat.voir',
    params: z.object({ annee: anneeParam.describe('Année de la campagne, par exemple 2015') }),
    response: z.object({ campagne: z.object({ annee: z.number().int(), publiee: z.boolean() }), mesures: z.array(lignesSchema) }),
    handler: async ({ params }, req, reply) => {
      const b = await charger(app, req, reply, params.annee);
      if (!b) return reply;
      return { campagne: { annee: b.c.annee, publiee: b.c.publiee }, mesures: lignesMesures(b.fiches) };
    },
  });
}

export const bilanRoutes: FastifyPluginAsync = async (app) => {
  mesuresApi(app);

  /** The campaign's sheets for this request, or null once the answer (404, sign-in, 403) is sent. */
  async function fiches(req: FastifyRequest<AnneeParams>, reply: FastifyReply) {
    const annee = anneeParam.safeParse(req.params.annee);
    if (annee.success) return charger(app, req, reply, annee.data);
    void sendError(req, reply, 404, 'Aucune campagne de suivi pour cette année.');
    return null;
  }

  async function bilan(req: FastifyRequest<AnneeParams>, reply: FastifyReply) {
    const charge = await fiches(req, reply);
    if (!charge) return null;
    const jour = aujourdhui();
    const ctx: ContexteBilan = { contrat: req.contrat.nom, date: jour, perimetre: charge.perimetre, interne: charge.interne };
    return { ...charge, ctx, b: calculerBilan(charge.fiches, charge.c, jour) };
  }

  const fichier = (reply: FastifyReply, type: string, nom: string, contenu: Buffer | string) =>
    reply.type(type).header('content-disposition', `attachment; filename="${nom}"`).send(contenu);

  app.get<AnneeParams>('/suivi/:annee/bilan', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const x = await bilan(req, reply);
    if (!x) return reply;
    const sources = new Map(x.fiches.flatMap((f) => (f.source ? [[f.numero, sourceDocument(f.source.document, f.source.lignes.alertes ?? [])] as const] : [])));
    return sendPage(
      req,
      reply,
      `Bilan ${x.c.annee}`,
      <BilanPage bilan={x.b} contrat={req.contrat.nom} interne={x.interne} publiee={x.c.publiee} echeance={x.c.echeance} perimetre={x.perimetre} sources={sources} />,
    );
  });

  app.get<AnneeParams>('/suivi/:annee/bilan.xlsx', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const x = await bilan(req, reply);
    if (!x) return reply;
    const contenu = await rapportEnXlsx(classeurBilan(x.b, x.fiches, lignesMesures(x.fiches), x.ctx));
    return fichier(reply, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `bilan-${x.c.annee}.xlsx`, contenu);
  });

  app.get<AnneeParams>('/suivi/:annee/bilan.pdf', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const x = await bilan(req, reply);
    if (!x) return reply;
    return fichier(reply, 'application/pdf', `bilan-${x.c.annee}.pdf`, await rapportEnPdf(documentBilan(x.b, x.fiches, x.ctx)));
  });

  app.get<AnneeParams>('/suivi/:annee/bilan.docx', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const x = await bilan(req, reply);
    if (!x) return reply;
    const contenu = await rapportEnDocx(documentBilan(x.b, x.fiches, x.ctx));
    return fichier(reply, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', `bilan-${x.c.annee}.docx`, contenu);
  });

  app.get<AnneeParams>('/suivi/:annee/fiches.csv', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const x = await fiches(req, reply);
    if (!x) return reply;
    return fichier(reply, 'text/csv; charset=utf-8', `mesures-${x.c.annee}.csv`, mesuresEnCsv(lignesMesures(x.fiches)));
  });
};
