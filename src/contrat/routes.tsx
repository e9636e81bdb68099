import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { sendError } from '../platform/http/guard.tsx';
import { sendPage } from '../platform/http/render.tsx';
import { chemin, lectureChangement, MIN_RECHERCHE, requeteTropCourte, titreNoeud } from './model.ts';
import { fichierOrientation } from './donnees.ts';
import { ancetresDe, compterParNiveau, descendantsDe, historiqueNoeud, listerAvenants, listOrganisations, noeudParRef, noeudsDesNiveaux, rechercherNoeuds, type NoeudRow } from './store.ts';
import { contexteContrat, rechercheQuery, refSchema, visible } from './contexte.ts';
import { ContratPage } from './contrat-views.tsx';
import { NoeudPage } from './noeud-views.tsx';
import { RecherchePage, type RechercheData } from './recherche-views.tsx';
import { csvContrat } from './export.ts';
import { contratApi } from './api.ts';
import { avenantRoutes } from './avenant-routes.tsx';

// The contract's pages: the strategy tree, its search, each item with its source, the CSV export;
// amendments in avenant-routes.tsx, the API in api.ts. All public: the contract is a public document.

const detailsSchema = fichierOrientation.shape.orientationDetails.extend({ cibles: fichierOrientation.shape.cibles.optional() });

export const contratRoutes: FastifyPluginAsync = async (app) => {
  const db = () => app.ctx.db;
  const ctx = contexteContrat(app);
  contratApi(app);
  avenantRoutes(app, ctx);

  app.get('/contrat', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const contratId = req.contrat.id;
    const [plan, comptes, organisations, avenants] = await Promise.all([
      noeudsDesNiveaux(db(), contratId, ['axe', 'orientation', 'objectif']),
      compterParNiveau(db(), contratId),
      listOrganisations(db(), contratId),
      ctx.avenantsVisibles(req),
    ]);
    const textes = ctx.textes(req);
    const d = { nom: req.contrat.nom, plan, comptes, organisations, prioritesTransversales: textes.prioritesTransversales, annonces: textes.annonces, avenants: avenants.map(visible) };
    return sendPage(req, reply, 'Le contrat', <ContratPage d={d} />);
  });

  app.get('/contrat/export.csv', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const { csv } = await csvContrat(db(), req.contrat.id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="arbre-${req.contrat.slug}.csv"`).send(csv);
  });

  app.get('/contrat/recherche', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const avenants = (await ctx.avenantsVisibles(req)).map(visible);
    const base = { ...ctx.textes(req), avenants, total: 0, resultats: [], message: null, erreur: null };
    const page = (d: RechercheData, status = 200) => sendPage(req, reply, d.q ? `Recherche « ${d.q} »` : 'Rechercher dans le contrat', <RecherchePage d={d} />, status);
    const p = rechercheQuery.safeParse(req.query);
    if (!p.success) {
      const brut = (req.query as Record<string, unknown>).q;
      return page({ ...base, q: typeof brut === 'string' ? brut.slice(0, 200) : '', erreur: p.error.issues[0]!.message }, 400);
    }
    const q = p.data.q;
    if (!q) return page({ ...base, q, message: 'Saisissez un ou plusieurs mots pour chercher dans les axes, orientations, objectifs, actions et leviers du contrat.' });
    if (requeteTropCourte(q)) return page({ ...base, q, message: `Saisissez au moins ${MIN_RECHERCHE} lettres ou chiffres.` });
    const { total, noeuds } = await rechercherNoeuds(db(), req.contrat.id, q);
    const parRef = new Map((await ancetresDe(db(), req.contrat.id, noeuds.map((n) => n.ref))).map((n) => [n.ref, n]));
    const resultats = noeuds.map((n) => ({ noeud: n, chemin: chemin(parRef, n.ref).slice(0, -1) }));
    return page({ ...base, q, total, resultats });
  });

  app.get('/contrat/arbre/*', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const p = refSchema.safeParse((req.params as Record<string, string>)['*']);
    const n = p.success ? await noeudParRef(db(), req.contrat.id, p.data) : undefined;
    if (!n) return sendError(req, reply, 404, 'Aucun élément du contrat ne porte cette référence. Retrouvez-les tous depuis la page « Le contrat ».');
    return sendPage(req, reply, titreNoeud(n), <NoeudPage d={await donneesNoeud(req, n)} />);
  });

  async function donneesNoeud(req: FastifyRequest, n: NoeudRow) {
    const contratId = req.contrat.id;
    const [haut, dessous, historique, avenants] = await Promise.all([
      ancetresDe(db(), contratId, [n.ref]),
      descendantsDe(db(), contratId, n.ref),
      historiqueNoeud(db(), contratId, n.ref),
      listerAvenants(db(), contratId),
    ]);
    const parId = new Map(avenants.map((a) => [a.id, visible(a)]));
    const details = n.niveau === 'orientation' ? detailsSchema.safeParse(n.details) : null;
    const montrer = ctx.peutAmender(req);
    return {
      noeud: n,
      details: details?.success ? details.data : null,
      chemin: chemin(new Map(haut.map((x) => [x.ref, x])), n.ref).slice(0, -1),
      dessous,
      ajoutePar: (n.avenantId ? parId.get(n.avenantId) : undefined) ?? null,
      retirePar: (n.retireParAvenantId ? parId.get(n.retireParAvenantId) : undefined) ?? null,
      historique: historique.filter((h) => h.applique || montrer).map((h) => ({ ...lectureChangement(h), avenant: visible(h.avenant) })),
      ...ctx.textes(req),
      avenants: avenants.filter((a) => a.statut === 'adopte' || montrer).map(visible),
    };
  }
};
