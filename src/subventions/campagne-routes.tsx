import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { mayEver } from '../platform/auth/policy.ts';
import { authorize } from '../platform/http/guard.tsx';
import { sendPage } from '../platform/http/render.tsx';
import { auditActor, formBody } from '../platform/http/request.ts';
import type { FieldErrors } from '../platform/ui/forms.tsx';
import { aujourdhuiParis } from './acces.ts';
import { campagneConfigRoutes, campagneOu404, territoiresOfferts } from './campagne-config-routes.tsx';
import { NouvellePage, type Saisie } from './campagne-champs-views.tsx';
import { champ, lireNouvelle, prioritesParAxe } from './campagne-form.ts';
import { creerCampagne } from './campagne-store.ts';
import { CampagnePage, hrefConfiguration, HREF_NOUVELLE, ListeCampagnesPage, type Capacites } from './campagne-views.tsx';
import { etatCampagne } from './model.ts';
import { financeursDe, groupesDe, listerCampagnesAap } from './store.ts';

// The calls for projects as everybody sees them (the list, a campaign's page) and the creation of a new
// one by the direction de projet; its configuration lives in campagne-config-routes.tsx.

function capacites(req: FastifyRequest): Capacites {
  const contratId = req.contrat.id;
  return {
    configurer: mayEver(req.actor, 'aap.configurer', contratId),
    instruire: mayEver(req.actor, 'dossiers.instruire', contratId),
    programmer: mayEver(req.actor, 'dossiers.programmer', contratId),
    deposer: mayEver(req.actor, 'dossiers.deposer', contratId),
    anonyme: !req.actor,
  };
}

const saisieNouvelle = (body: Record<string, unknown>): Saisie => Object.fromEntries(['annee', 'titre', 'ouverture', 'cloture', 'presentation'].map((n) => [n, champ(body, n)]));

export const campagneAapRoutes: FastifyPluginAsync = async (app) => {
  const db = () => app.ctx.db;

  app.get('/appels-a-projets', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    if (!authorize(req, reply, 'contrat.voir')) return reply;
    const aujourdhui = aujourdhuiParis();
    const campagnes = (await listerCampagnesAap(db(), req.contrat.id)).map((c) => ({ ...c, etat: etatCampagne(c, aujourdhui) }));
    return sendPage(req, reply, 'Les appels à projets', <ListeCampagnesPage campagnes={campagnes} peut={capacites(req)} />);
  });

  function nouvelle(req: FastifyRequest, reply: FastifyReply, v: Saisie, errors: FieldErrors, status = 200) {
    return sendPage(req, reply, status === 200 ? 'Nouvel appel à projets' : 'Erreur — Nouvel appel à projets', (ctx) => <NouvellePage v={v} errors={errors} csrf={ctx.csrfToken} />, status);
  }

  app.get(HREF_NOUVELLE, { config: { policy: 'aap.configurer' } }, async (req, reply) => {
    if (!authorize(req, reply, 'aap.configurer')) return reply;
    // The year proposed is the first one from this year on that has no campaign yet.
    const prises = new Set((await listerCampagnesAap(db(), req.contrat.id)).map((c) => c.annee));
    let annee = Number(aujourdhuiParis().slice(0, 4));
    while (prises.has(annee)) annee++;
    return nouvelle(req, reply, { annee: String(annee) }, {});
  });

  app.post(HREF_NOUVELLE, { config: { policy: 'aap.configurer' } }, async (req, reply) => {
    if (!authorize(req, reply, 'aap.configurer')) return reply;
    const body = formBody(req);
    const v = saisieNouvelle(body);
    const lu = lireNouvelle(body);
    if (!lu.ok) return nouvelle(req, reply, v, lu.errors, 400);
    const r = await creerCampagne(db(), auditActor(req), req.contrat.id, lu.champs);
    if (!r.ok) return nouvelle(req, reply, v, { annee: `Un appel à projets existe déjà pour ${lu.champs.annee} : retrouvez-le dans la liste des appels à projets.` }, 400);
    return reply
      .flash(`Appel à projets ${r.campagne.annee} créé. Choisissez maintenant ses priorités, ses territoires, ses financeurs et ses équipes d’instruction.`)
      .redirect(hrefConfiguration(r.campagne.annee), 303);
  });

  app.get('/appels-a-projets/:annee', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const c = await campagneOu404(req, reply);
    if (!c) return reply;
    if (!authorize(req, reply, 'contrat.voir')) return reply;
    const contratId = req.contrat.id;
    const [noeuds, territoires, financeurs, groupes] = await Promise.all([
      app.ctx.services.contrat.parNiveaux(contratId, ['axe', 'priorite']),
      territoiresOfferts(req),
      financeursDe(db(), c.id),
      groupesDe(db(), c.id),
    ]);
    const retenues = new Set(c.prioriteRefs);
    const axes = prioritesParAxe(noeuds.filter((n) => n.niveau === 'axe' || retenues.has(n.ref)));
    const d = {
      c,
      etat: etatCampagne(c, aujourdhuiParis()),
      axes,
      territoires: territoires.filter((t) => c.territoireIds.includes(t.id)),
      financeurs,
      groupes: groupes.map((g) => ({ nom: g.nom, membres: g.membres, territoires: territoires.filter((t) => g.territoireIds.includes(t.id)) })),
      peut: capacites(req),
    };
    return sendPage(req, reply, `${c.titre} — appel à projets ${c.annee}`, <CampagnePage d={d} />);
  });

  campagneConfigRoutes(app);
};
