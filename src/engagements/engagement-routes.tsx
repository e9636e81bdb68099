import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { can } from '../platform/auth/policy.ts';
import { authorize, sendError } from '../platform/http/guard.tsx';
import { sendPage } from '../platform/http/render.tsx';
import { toCsv } from '../platform/exports/csv.ts';
import { fieldErrors } from '../platform/ui/forms.tsx';
import { divergencesDe, engagementsApi, filtresSchema, lireEngagement, lireEngagements, refSchema } from './engagement-api.ts';
import { EngagementsPage, citationSource, type Filtres, type LigneEngagement } from './engagement-views.tsx';
import { EngagementPage } from './engagement-page-views.tsx';
import { engagementSaisieRoutes } from './engagement-saisie-routes.tsx';
import { LIBELLES_NATURE, LIBELLES_SENS, sourcesDivergentes, type NatureCible, type Sens } from './model.ts';

// The commitments of the contract, public like the contract itself: the list (filters, counts by kind
// of target, CSV) and one commitment with all its sources and its follow-up across campaigns.

/** What the form shows back: the fields as typed, even when they do not validate. */
function filtresSaisis(query: unknown): Filtres {
  const q = (query ?? {}) as Record<string, unknown>;
  const texte = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  return { organisation: texte('organisation'), nature: texte('nature'), texte: texte('texte'), divergences: q.divergences === 'oui' };
}

const CSV_ENTETE = [
  'Référence',
  'Intitulé',
  'Indicateur',
  'Unité',
  'Porteur',
  'Dispositif',
  'Thématique',
  'Nature de la cible',
  'Sens',
  'Valeur de référence',
  'Cible',
  'Échéance',
  'Éléments de l’arbre du contrat',
  'Nombre de sources',
  'Sources',
  'Sources divergentes',
];

export const engagementPagesRoutes: FastifyPluginAsync = async (app) => {
  engagementsApi(app);
  engagementSaisieRoutes(app);
  const db = () => app.ctx.db;

  /** The commitments the filters select, or the filters' errors. */
  async function selection(req: FastifyRequest) {
    const parsed = filtresSchema.safeParse(req.query ?? {});
    if (!parsed.success) return { erreurs: fieldErrors(parsed.error), tous: [], lignes: [] };
    const { tous, lignes } = await lireEngagements(db(), req.contrat.id, parsed.data);
    return { erreurs: {}, tous, lignes };
  }

  app.get('/engagements', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const { erreurs, tous, lignes } = await selection(req);
    const annuaire = await app.ctx.scopes.organisation(db(), req.contrat.id);
    const porteurs = new Set(tous.map((e) => e.organisationId));
    const noms = new Map(annuaire.map((o) => [o.id, o.label]));
    const d = {
      filtres: filtresSaisis(req.query),
      erreurs,
      organisations: annuaire.filter((o) => porteurs.has(o.id)).map((o) => ({ value: o.id, label: o.label })),
      lignes: lignes.map(
        (e): LigneEngagement => ({
          ref: e.ref,
          intitule: e.intitule,
          porteur: e.porteur ?? (e.organisationId ? (noms.get(e.organisationId) ?? null) : null),
          nature: e.nature,
          sens: e.sens,
          cible: e.cible,
          echeance: e.echeance,
          sources: e.sources.length,
          divergent: sourcesDivergentes(e.sources).length > 0,
        }),
      ),
      total: tous.length,
      saisie: can(req.actor, 'contrat.amender', { contratId: req.contrat.id }),
    };
    const invalide = Object.keys(erreurs).length > 0;
    return sendPage(req, reply, invalide ? 'Erreur — Les engagements du contrat' : 'Les engagements du contrat', <EngagementsPage d={d} />, invalide ? 400 : 200);
  });

  app.get('/engagements/export.csv', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const { erreurs, lignes } = await selection(req);
    if (Object.keys(erreurs).length) return sendError(req, reply, 400, 'Le filtre des engagements est invalide : corrigez-le sur la page des engagements.');
    const rangs = lignes.map((e) => [
      e.ref,
      e.intitule,
      e.indicateur,
      e.unite,
      e.porteur,
      e.dispositif,
      e.thematique,
      LIBELLES_NATURE[e.nature as NatureCible] ?? e.nature,
      LIBELLES_SENS[e.sens as Sens] ?? e.sens,
      e.reference,
      e.cible,
      e.echeance,
      e.noeudRefs.join(', '),
      e.sources.length,
      e.sources.map((s) => `${citationSource(s, e.createdAt)} : ${s.valeur ?? 'aucune cible chiffrée'}`).join(' | '),
      sourcesDivergentes(e.sources).length > 0,
    ]);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="engagements.csv"')
      .send(toCsv(CSV_ENTETE, rangs));
  });

  app.get('/engagements/:ref', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const p = refSchema.safeParse(req.params);
    const nonTrouve = () => sendError(req, reply, 404, 'Aucun engagement ne porte cette référence. Retrouvez-les tous sur la page « Les engagements du contrat ».');
    if (!p.success) return nonTrouve();
    const lu = await lireEngagement(db(), req, p.data.ref);
    if (!lu) return nonTrouve();
    const e = lu.engagement;
    if (!authorize(req, reply, 'contrat.voir', { organisationId: e.organisationId ?? undefined })) return reply;
    const titre = e.intitule.length > 90 ? `${e.intitule.slice(0, 89)}…` : e.intitule;
    const noeuds = await app.ctx.services.contrat.noeuds(req.contrat.id, e.noeudRefs);
    const organisation = e.organisationId ? ((await app.ctx.scopes.organisation(db(), req.contrat.id)).find((o) => o.id === e.organisationId)?.label ?? null) : null;
    const modifiable = can(req.actor, 'contrat.amender', { contratId: req.contrat.id });
    return sendPage(
      req,
      reply,
      titre,
      <EngagementPage e={{ ...e, noeuds, organisation, modifiable, divergences: divergencesDe(e.sources), suivi: lu.suivi, masquees: lu.masquees }} />,
    );
  });
};
