import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize, sendError } from '../platform/http/guard.tsx';
import { sendPage } from '../platform/http/render.tsx';
import { auditActor, formBody } from '../platform/http/request.ts';
import { fieldErrors, type FieldErrors, type Option } from '../platform/ui/forms.tsx';
import { refSchema } from './engagement-api.ts';
import {
  lireRefs,
  messageRefsInconnues,
  saisieDeEngagement,
  saisieDuFormulaire,
  saisiDansPilotis,
  saisieVide,
  schemaDocument,
  schemaEngagement,
  type SaisieEngagement,
} from './engagement-form.ts';
import { hrefEngagement, HREF_NOUVEAU } from './engagement-views.tsx';
import { EngagementFormPage, type FormulaireEngagement } from './engagement-saisie-views.tsx';
import { creerEngagement, engagementParRef, modifierEngagement, type EngagementRow } from './store.ts';

// The direction de projet records a commitment decided outside the documents, and keeps any commitment's
// owner, items of the tree and milestones up to date. Every write is audited; a save made from an
// outdated page is refused with a 409 that shows the commitment as it is now and keeps what was typed.

type RefParams = { Params: { ref: string } };

export function engagementSaisieRoutes(app: FastifyInstance): void {
  const db = () => app.ctx.db;

  async function organisations(req: FastifyRequest): Promise<Option[]> {
    return (await app.ctx.scopes.organisation(db(), req.contrat.id)).map((o) => ({ value: o.id, label: o.label }));
  }

  /** The references typed that the contract's tree does not have, as the field's error. */
  async function noeudsInconnus(req: FastifyRequest, saisie: SaisieEngagement): Promise<FieldErrors> {
    const { refs } = lireRefs(saisie.noeuds);
    if (!refs.length) return {};
    const connus = new Set((await app.ctx.services.contrat.noeuds(req.contrat.id, refs)).map((n) => n.ref));
    const inconnues = refs.filter((r) => !connus.has(r));
    return inconnues.length ? { noeuds: messageRefsInconnues(inconnues) } : {};
  }

  function page(req: FastifyRequest, reply: FastifyReply, f: FormulaireEngagement, status = 200) {
    const titre = f.engagement ? `Modifier l’engagement ${f.engagement.ref}` : 'Enregistrer un engagement';
    return sendPage(req, reply, status === 200 ? titre : `Erreur — ${titre}`, (ctx) => <EngagementFormPage f={f} csrf={ctx.csrfToken} />, status);
  }

  const decrire = (e: EngagementRow) => ({ ref: e.ref, intitule: e.intitule, document: !saisiDansPilotis(e) });

  /** The commitment the URL names, once the person may amend the contract; otherwise the answer is sent. */
  async function engagementOuRefus(req: FastifyRequest<RefParams>, reply: FastifyReply): Promise<EngagementRow | null> {
    const p = refSchema.safeParse(req.params);
    const e = p.success ? await engagementParRef(db(), req.contrat.id, p.data.ref) : undefined;
    if (!e) {
      void sendError(req, reply, 404, 'Aucun engagement ne porte cette référence. Retrouvez-les tous sur la page « Les engagements du contrat ».');
      return null;
    }
    return authorize(req, reply, 'contrat.amender', { organisationId: e.organisationId ?? undefined }) ? e : null;
  }

  app.get(HREF_NOUVEAU, { config: { policy: 'contrat.amender' } }, async (req, reply) => {
    if (!authorize(req, reply, 'contrat.amender')) return reply;
    return page(req, reply, { engagement: null, values: saisieVide(), errors: {}, organisations: await organisations(req), conflit: null });
  });

  app.post(HREF_NOUVEAU, { config: { policy: 'contrat.amender' } }, async (req, reply) => {
    if (!authorize(req, reply, 'contrat.amender')) return reply;
    const body = formBody(req);
    const values = saisieDuFormulaire(body);
    const orgs = await organisations(req);
    const parsed = schemaEngagement(orgs.map((o) => o.value)).safeParse(body);
    const errors = parsed.success ? {} : fieldErrors(parsed.error);
    if (!errors.noeuds) Object.assign(errors, await noeudsInconnus(req, values));
    if (!parsed.success || Object.keys(errors).length) return page(req, reply, { engagement: null, values, errors, organisations: orgs, conflit: null }, 400);
    const e = await creerEngagement(db(), auditActor(req), req.contrat.id, parsed.data.champs);
    return reply.flash(`Engagement ${e.ref} enregistré.`).redirect(hrefEngagement(e.ref), 303);
  });

  app.get<RefParams>('/engagements/:ref/modifier', { config: { policy: 'contrat.amender' } }, async (req, reply) => {
    const e = await engagementOuRefus(req, reply);
    if (!e) return reply;
    return page(req, reply, { engagement: decrire(e), values: saisieDeEngagement(e), errors: {}, organisations: await organisations(req), conflit: null });
  });

  app.post<RefParams>('/engagements/:ref/modifier', { config: { policy: 'contrat.amender' } }, async (req, reply) => {
    const e = await engagementOuRefus(req, reply);
    if (!e) return reply;
    const body = formBody(req);
    const values = saisieDuFormulaire(body);
    const orgs = await organisations(req);
    const ids = orgs.map((o) => o.value);
    // A commitment from the documents takes only its owner, items of the tree and milestones: any other field posted is dropped here.
    const parsed = saisiDansPilotis(e) ? schemaEngagement(ids).safeParse(body) : schemaDocument(ids).safeParse(body);
    const errors = parsed.success ? {} : fieldErrors(parsed.error);
    if (!errors.noeuds) Object.assign(errors, await noeudsInconnus(req, values));
    const formulaire = { engagement: decrire(e), values, errors, organisations: orgs, conflit: null };
    if (!parsed.success || Object.keys(errors).length) return page(req, reply, formulaire, 400);
    const r = await modifierEngagement(db(), auditActor(req), { contratId: req.contrat.id, ref: e.ref, avant: parsed.data.avant, champs: parsed.data.champs });
    if (r.ok) return reply.flash('Engagement modifié.').redirect(hrefEngagement(e.ref), 303);
    if ('absent' in r) return sendError(req, reply, 404, 'Cet engagement n’existe plus.');
    // What was typed stays in the form; it now carries the current fingerprint, to be saved again once compared.
    const actuel = saisieDeEngagement(r.conflit);
    return page(req, reply, { ...formulaire, engagement: decrire(r.conflit), values: { ...values, avant: actuel.avant }, conflit: actuel }, 409);
  });
}
