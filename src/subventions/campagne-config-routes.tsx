import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize, sendError } from '../platform/http/guard.tsx';
import { sendPage } from '../platform/http/render.tsx';
import { auditActor, formBody, isUuid } from '../platform/http/request.ts';
import type { FieldErrors } from '../platform/ui/forms.tsx';
import { z } from '../platform/validation.ts';
import { ChampsFinanceur, ChampsGroupe, ElementPage, type Saisie } from './campagne-champs-views.tsx';
import { ConfigurationPage, type EtatSection, type NomSection } from './campagne-config-views.tsx';
import { champ, coches, LIBELLES_FINANCEUR, LIBELLES_GROUPE, lireChoix, lireFinanceur, lireGeneral, lireGroupe, lireThematiques, prioritesParAxe, type Lecture } from './campagne-form.ts';
import { ajouterFinanceur, ajouterGroupe, modifierCampagne, modifierFinanceur, modifierGroupe, retirerFinanceur, retirerGroupe, type ChampsCampagne } from './campagne-store.ts';
import { hrefConfiguration, type TerritoireLu } from './campagne-views.tsx';
import { euros } from './model.ts';
import { campagneAapParAnnee, financeursDe, groupesDe, type CampagneAapRow } from './store.ts';

// The configuration of a campaign by the direction de projet, section by section. Each section posts to
// its own address; on success the page comes back at that section with a message, on error with the
// section's errors and everything typed kept (400), or, when someone saved the campaign in between,
// with what is stored now beside what was typed (409).

const anneeParams = z.object({ annee: z.string().regex(/^\d{4}$/) });

/** The campaign of the year in the URL, or a 404 already sent. */
export async function campagneOu404(req: FastifyRequest, reply: FastifyReply): Promise<CampagneAapRow | null> {
  const p = anneeParams.safeParse(req.params);
  const c = p.success ? await campagneAapParAnnee(req.server.ctx.db, req.contrat.id, Number(p.data.annee)) : undefined;
  if (!c) {
    void sendError(req, reply, 404, 'Aucun appel à projets n’existe pour cette année. Retrouvez-les tous sur la page « Les appels à projets ».');
    return null;
  }
  return c;
}

/** The territories a campaign may target: the contract's QPV of the 2015 geography and its quartiers de veille active. */
export async function territoiresOfferts(req: FastifyRequest): Promise<TerritoireLu[]> {
  const t = req.server.ctx.services.territoires;
  const [qpv, qva] = await Promise.all([t.lister(req.contrat.id, 'qpv'), t.lister(req.contrat.id, 'qva')]);
  return [...qpv.filter((q) => q.geographie === '2015'), ...qva].map(({ id, type, code, nom }) => ({ id, type, code, nom }));
}

const CONFLIT =
  'Cet appel à projets a été modifié par quelqu’un d’autre depuis que vous avez ouvert la page. Votre saisie est conservée ci-dessous : vérifiez-la, puis enregistrez à nouveau.';

type AnneeParams = { Params: { annee: string } };
type ElementParams = { Params: { annee: string; id: string } };

export function campagneConfigRoutes(app: FastifyInstance): void {
  const db = () => app.ctx.db;
  const policy = { config: { policy: 'aap.configurer' as const } };

  /** The campaign, once the person may configure it; otherwise the answer is sent. */
  async function campagne(req: FastifyRequest, reply: FastifyReply): Promise<CampagneAapRow | null> {
    if (!authorize(req, reply, 'aap.configurer')) return null;
    return campagneOu404(req, reply);
  }

  async function page(req: FastifyRequest, reply: FastifyReply, c: CampagneAapRow, section: EtatSection | null, status = 200) {
    const [noeuds, territoires, financeurs, groupes] = await Promise.all([
      app.ctx.services.contrat.parNiveaux(req.contrat.id, ['axe', 'priorite']),
      territoiresOfferts(req),
      financeursDe(db(), c.id),
      groupesDe(db(), c.id),
    ]);
    const d = { c, axes: prioritesParAxe(noeuds), territoires, financeurs, groupes, section };
    const titre = `Configurer l’appel à projets ${c.annee}`;
    return sendPage(req, reply, status === 200 ? titre : `Erreur — ${titre}`, (ctx) => <ConfigurationPage d={d} csrf={ctx.csrfToken} />, status);
  }

  const retour = (reply: FastifyReply, c: CampagneAapRow, section: NomSection, message: string) =>
    reply.flash(message).redirect(`${hrefConfiguration(c.annee)}#titre-${section}`, 303);

  app.get<AnneeParams>('/appels-a-projets/:annee/configuration', policy, async (req, reply) => {
    const c = await campagne(req, reply);
    return c ? page(req, reply, c, null) : reply;
  });

  /** A section stored on the campaign itself: read, then saved if nobody saved the campaign since the page was opened. */
  function sectionCampagne(nom: NomSection, lire: (req: FastifyRequest, body: Record<string, unknown>) => Promise<Lecture<ChampsCampagne>>, saisie: (body: Record<string, unknown>) => Saisie, message: string) {
    app.post<AnneeParams>(`/appels-a-projets/:annee/configuration/${nom}`, policy, async (req, reply) => {
      const c = await campagne(req, reply);
      if (!c) return reply;
      const body = formBody(req);
      const etat = (errors: FieldErrors, conflit?: string): EtatSection => ({ nom, v: saisie(body), coches: coches(body, nom), errors, ...(conflit ? { message: conflit } : {}) });
      const lu = await lire(req, body);
      if (!lu.ok) return page(req, reply, c, etat(lu.errors), 400);
      const r = await modifierCampagne(db(), auditActor(req), { contratId: req.contrat.id, campagneId: c.id, versionLue: Number(champ(body, 'version')), champs: lu.champs });
      if (r.ok) return retour(reply, c, nom, message);
      if ('absente' in r) return sendError(req, reply, 404);
      return page(req, reply, r.conflit, etat({}, CONFLIT), 409);
    });
  }

  const texteDe = (...noms: string[]) => (body: Record<string, unknown>) => Object.fromEntries(noms.map((n) => [n, champ(body, n)]));

  sectionCampagne(
    'general',
    async (_req, body) => {
      const lu = lireGeneral(body);
      if (!lu.ok) return lu;
      const { titre, ouverture, cloture, presentation } = lu.champs;
      return { ok: true, champs: { titre, ouverture, cloture, presentation } };
    },
    texteDe('titre', 'ouverture', 'cloture', 'presentation'),
    'Informations générales enregistrées.',
  );

  sectionCampagne(
    'priorites',
    async (req, body) => {
      const offertes = prioritesParAxe(await app.ctx.services.contrat.parNiveaux(req.contrat.id, ['axe', 'priorite'])).flatMap((g) => g.priorites.map((p) => p.ref));
      const lu = lireChoix(body, 'priorites', offertes);
      return lu.ok ? { ok: true, champs: { prioriteRefs: lu.champs } } : lu;
    },
    () => ({}),
    'Priorités enregistrées.',
  );

  sectionCampagne(
    'territoires',
    async (req, body) => {
      const lu = lireChoix(body, 'territoires', (await territoiresOfferts(req)).map((t) => t.id));
      return lu.ok ? { ok: true, champs: { territoireIds: lu.champs } } : lu;
    },
    () => ({}),
    'Territoires éligibles enregistrés.',
  );

  sectionCampagne(
    'thematiques',
    async (_req, body) => {
      const lu = lireThematiques(body);
      return lu.ok ? { ok: true, champs: { thematiques: lu.champs } } : lu;
    },
    texteDe('thematiques'),
    'Thématiques enregistrées.',
  );

  // Funders: added from the configuration page, changed on their own page, removed unless a file relies on them.
  const saisieFinanceur = texteDe('code', 'nom', 'service', 'siret', 'enveloppe');
  const CODE_PRIS = 'Ce code est déjà celui d’un autre financeur de cet appel à projets.';

  app.post<AnneeParams>('/appels-a-projets/:annee/configuration/financeurs', policy, async (req, reply) => {
    const c = await campagne(req, reply);
    if (!c) return reply;
    const body = formBody(req);
    const etat = (errors: FieldErrors): EtatSection => ({ nom: 'financeurs', v: saisieFinanceur(body), coches: [], errors });
    const lu = lireFinanceur(body);
    if (!lu.ok) return page(req, reply, c, etat(lu.errors), 400);
    const r = await ajouterFinanceur(db(), auditActor(req), c, lu.champs);
    if (!r.ok) return page(req, reply, c, etat({ code: CODE_PRIS }), 400);
    return retour(reply, c, 'financeurs', `Financeur « ${lu.champs.nom} » ajouté.`);
  });

  async function financeur(req: FastifyRequest<ElementParams>, reply: FastifyReply) {
    const c = await campagne(req, reply);
    if (!c) return null;
    const f = isUuid(req.params.id) ? (await financeursDe(db(), c.id)).find((x) => x.id === req.params.id) : undefined;
    if (!f) {
      void sendError(req, reply, 404, 'Ce financeur ne fait pas partie de cet appel à projets.');
      return null;
    }
    return { c, f };
  }

  function pageFinanceur(req: FastifyRequest, reply: FastifyReply, c: CampagneAapRow, id: string, v: Saisie, errors: FieldErrors, status = 200) {
    const titre = `Modifier le financeur ${v.nom || ''}`.trim();
    const action = `${hrefConfiguration(c.annee)}/financeurs/${id}`;
    return sendPage(
      req,
      reply,
      status === 200 ? titre : `Erreur — ${titre}`,
      (ctx) => (
        <ElementPage c={c} titre={titre} action={action} errors={errors} labels={LIBELLES_FINANCEUR} csrf={ctx.csrfToken}>
          <ChampsFinanceur v={v} errors={errors} />
        </ElementPage>
      ),
      status,
    );
  }

  app.get<ElementParams>('/appels-a-projets/:annee/configuration/financeurs/:id', policy, async (req, reply) => {
    const x = await financeur(req, reply);
    if (!x) return reply;
    const { c, f } = x;
    return pageFinanceur(req, reply, c, f.id, { code: f.code, nom: f.nom, service: f.serviceInstructeur, siret: f.siret ?? '', enveloppe: euros(f.enveloppeCentimes) }, {});
  });

  app.post<ElementParams>('/appels-a-projets/:annee/configuration/financeurs/:id', policy, async (req, reply) => {
    const x = await financeur(req, reply);
    if (!x) return reply;
    const body = formBody(req);
    const lu = lireFinanceur(body);
    if (!lu.ok) return pageFinanceur(req, reply, x.c, x.f.id, saisieFinanceur(body), lu.errors, 400);
    const r = await modifierFinanceur(db(), auditActor(req), x.c, x.f.id, lu.champs);
    if (r.ok) return retour(reply, x.c, 'financeurs', `Financeur « ${lu.champs.nom} » modifié.`);
    if ('absent' in r) return sendError(req, reply, 404, 'Ce financeur ne fait plus partie de cet appel à projets.');
    return pageFinanceur(req, reply, x.c, x.f.id, saisieFinanceur(body), { code: CODE_PRIS }, 400);
  });

  app.post<ElementParams>('/appels-a-projets/:annee/configuration/financeurs/:id/retirer', policy, async (req, reply) => {
    const x = await financeur(req, reply);
    if (!x) return reply;
    const r = await retirerFinanceur(db(), auditActor(req), x.c, x.f.id);
    if (r.ok) return retour(reply, x.c, 'financeurs', `Financeur « ${x.f.nom} » retiré.`);
    if ('absent' in r) return sendError(req, reply, 404, 'Ce financeur ne fait plus partie de cet appel à projets.');
    const message = `Le financeur « ${r.nom} » ne peut pas être retiré : des dossiers le sollicitent ou l’ont déjà évalué (${r.usages} ${r.usages > 1 ? 'lignes de financement ou avis' : 'ligne de financement ou avis'}). Vous pouvez encore modifier son nom, son service ou son enveloppe.`;
    return page(req, reply, x.c, { nom: 'financeurs', v: {}, coches: [], errors: {}, message }, 409);
  });

  // Instruction teams: each one instructs the files of some of the campaign's eligible territories.
  const saisieGroupe = texteDe('nomGroupe', 'membres');

  app.post<AnneeParams>('/appels-a-projets/:annee/configuration/groupes', policy, async (req, reply) => {
    const c = await campagne(req, reply);
    if (!c) return reply;
    const body = formBody(req);
    const lu = lireGroupe(body, c.territoireIds);
    if (!lu.ok) return page(req, reply, c, { nom: 'groupes', v: saisieGroupe(body), coches: coches(body, 'territoiresGroupe'), errors: lu.errors }, 400);
    await ajouterGroupe(db(), auditActor(req), c, lu.champs);
    return retour(reply, c, 'groupes', `Équipe « ${lu.champs.nom} » ajoutée.`);
  });

  async function groupe(req: FastifyRequest<ElementParams>, reply: FastifyReply) {
    const c = await campagne(req, reply);
    if (!c) return null;
    const g = isUuid(req.params.id) ? (await groupesDe(db(), c.id)).find((x) => x.id === req.params.id) : undefined;
    if (!g) {
      void sendError(req, reply, 404, 'Cette équipe ne fait pas partie de cet appel à projets.');
      return null;
    }
    return { c, g };
  }

  async function pageGroupe(req: FastifyRequest, reply: FastifyReply, c: CampagneAapRow, id: string, v: Saisie, cochees: string[], errors: FieldErrors, status = 200) {
    const eligibles = (await territoiresOfferts(req)).filter((t) => c.territoireIds.includes(t.id));
    const titre = `Modifier l’équipe ${v.nomGroupe || ''}`.trim();
    const action = `${hrefConfiguration(c.annee)}/groupes/${id}`;
    return sendPage(
      req,
      reply,
      status === 200 ? titre : `Erreur — ${titre}`,
      (ctx) => (
        <ElementPage c={c} titre={titre} action={action} errors={errors} labels={LIBELLES_GROUPE} csrf={ctx.csrfToken}>
          <ChampsGroupe v={v} coches={cochees} errors={errors} eligibles={eligibles} />
        </ElementPage>
      ),
      status,
    );
  }

  app.get<ElementParams>('/appels-a-projets/:annee/configuration/groupes/:id', policy, async (req, reply) => {
    const x = await groupe(req, reply);
    if (!x) return reply;
    return pageGroupe(req, reply, x.c, x.g.id, { nomGroupe: x.g.nom, membres: x.g.membres }, x.g.territoireIds, {});
  });

  app.post<ElementParams>('/appels-a-projets/:annee/configuration/groupes/:id', policy, async (req, reply) => {
    const x = await groupe(req, reply);
    if (!x) return reply;
    const body = formBody(req);
    const lu = lireGroupe(body, x.c.territoireIds);
    if (!lu.ok) return pageGroupe(req, reply, x.c, x.g.id, saisieGroupe(body), coches(body, 'territoiresGroupe'), lu.errors, 400);
    const g = await modifierGroupe(db(), auditActor(req), x.c, x.g.id, lu.champs);
    if (!g) return sendError(req, reply, 404, 'Cette équipe ne fait plus partie de cet appel à projets.');
    return retour(reply, x.c, 'groupes', `Équipe « ${g.nom} » modifiée.`);
  });

  app.post<ElementParams>('/appels-a-projets/:annee/configuration/groupes/:id/retirer', policy, async (req, reply) => {
    const x = await groupe(req, reply);
    if (!x) return reply;
    await retirerGroupe(db(), auditActor(req), x.c, x.g.id);
    return retour(reply, x.c, 'groupes', `Équipe « ${x.g.nom} » retirée.`);
  });
}
