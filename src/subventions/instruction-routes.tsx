import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { can, type Action } from '../platform/auth/policy.ts';
import { authorize, sendError } from '../platform/http/guard.tsx';
import { sendPage } from '../platform/http/render.tsx';
import { auditActor, formBody, isUuid } from '../platform/http/request.ts';
import { z } from '../platform/validation.ts';
import { fieldErrors } from '../platform/ui/forms.tsx';
import { ETAPES_DOSSIER, LIBELLES_STATUT_DOSSIER, TRANSITIONS_DOSSIER, type EtapeDossier, type RoleDossier, type StatutDossier } from './model.ts';
import { aujourdhuiParis, ressourceDossier, roleSurDossier } from './acces.ts';
import { campagneAapParAnnee, dossierParId, EtapeRefusee, evenementsDe, financeursDe, groupesDe, referenceDossier, structureDe, type DossierComplet } from './store.ts';
import { annotationsDe, annoter, avisDe, donnerAvis, ecrireMessage, franchirEtapeInstruction, messagesDe, piecesDe } from './instruction-store.ts';
import { ETAPES_DU_COMITE, schemaAnnotation, schemaAvis, schemaEtape, schemaMessage, STATUTS_AVIS, vueDossier } from './instruction-model.ts';
import { manquesPourDeposer } from './demande-store.ts';
import { idChamp, type Saisie } from './dossier-champs.tsx';
import { DossierPage, type PageDossier } from './dossier-views.tsx';
import { listeInstruction } from './instruction-liste.ts';
import { InstructionPage } from './instruction-views.tsx';

// THE page of a file for everyone allowed on it, what the instruction team writes there (opinions,
// annotations, messages, steps), and the instructors' list of a campaign. A form posted with errors
// comes back as the file's page, status 400, with what was typed kept in its fields.

type IdParams = { Params: { id: string } };
type EtapeParams = { Params: { id: string; etape: string } };
type Acces = { d: DossierComplet; role: RoleDossier | null };

const anneeParams = z.object({ annee: z.coerce.number().int().min(2000).max(2100) });

/** The action a person writes on a file under: the association its own, the instruction team the others. */
const actionDuRole = (role: RoleDossier): Action => (role === 'association' ? 'dossiers.deposer' : 'dossiers.instruire');

export const instructionRoutes: FastifyPluginAsync = async (app) => {
  const db = () => app.ctx.db;

  /** The file the URL names once the person may see it (and act under `action`); otherwise the answer is sent. */
  async function dossierOuRefus(req: FastifyRequest<IdParams>, reply: FastifyReply, action: Action = 'dossiers.voir'): Promise<Acces | null> {
    const d = isUuid(req.params.id) ? await dossierParId(db(), req.contrat.id, req.params.id) : undefined;
    if (!d) {
      void sendError(req, reply, 404, 'Aucun dossier ne porte cette adresse.');
      return null;
    }
    const ressource = await ressourceDossier(req, d);
    if (!authorize(req, reply, 'dossiers.voir', ressource)) return null;
    const role = await roleSurDossier(req, d);
    // A draft is the association's work in progress: nobody else knows it exists yet.
    if (d.statut === 'brouillon' && role !== 'association') {
      void sendError(req, reply, 404, 'Aucun dossier déposé ne porte cette adresse.');
      return null;
    }
    if (action !== 'dossiers.voir' && !authorize(req, reply, action, ressource)) return null;
    return { d, role };
  }

  async function pageDossier(req: FastifyRequest, { d, role }: Acces, saisie: Saisie | null): Promise<PageDossier> {
    const contratId = req.contrat.id;
    const vue = vueDossier(role, d.statut as StatutDossier);
    const services = app.ctx.services;
    const [qpv, qva, noeuds, financeurs, structure, messages, evenements, pieces, avis, annotations, groupes] = await Promise.all([
      services.territoires.lister(contratId, 'qpv'),
      services.territoires.lister(contratId, 'qva'),
      d.noeudRefs.length ? services.contrat.noeuds(contratId, d.noeudRefs) : Promise.resolve([]),
      financeursDe(db(), d.campagneId),
      structureDe(db(), d.organisationId),
      messagesDe(db(), d.id),
      evenementsDe(db(), d.id),
      piecesDe(db(), d.organisationId, aujourdhuiParis(d.deposeLe ?? new Date()), d.deposeLe),
      vue.instruction ? avisDe(db(), d.id) : Promise.resolve([]),
      vue.instruction ? annotationsDe(db(), d.id) : Promise.resolve([]),
      groupesDe(db(), d.campagneId),
    ]);
    return {
      d,
      reference: referenceDossier(d, d.campagne.annee),
      fictive: Boolean(structure?.fictive),
      vue,
      quartiers: [...qpv, ...qva].filter((t) => d.territoireIds.includes(t.id)).map((t) => t.nom),
      // The teams of the campaign whose territories include one of the file's QPV: where the file goes for instruction.
      equipes: groupes.filter((g) => g.territoireIds.some((id) => d.territoireIds.includes(id))).map((g) => g.nom),
      noeuds,
      financeurs,
      pieces,
      messages,
      evenements,
      avis,
      annotations,
      saisie,
    };
  }

  async function page(req: FastifyRequest, reply: FastifyReply, acces: Acces, saisie: Saisie | null = null, status = 200) {
    const p = await pageDossier(req, acces, saisie);
    const titre = `Dossier ${p.reference} — ${acces.d.titre}`;
    return sendPage(req, reply, status === 200 ? titre : `Erreur — ${titre}`, (ctx) => <DossierPage p={p} csrf={ctx.csrfToken} />, status);
  }

  /** The form that came back: its typed values, and the zod errors keyed by the ids of its fields. */
  function saisieInvalide(formulaire: string, body: Record<string, unknown>, error: z.ZodError | null, refus: string | null = null): Saisie {
    const valeurs = Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'));
    const erreurs = error ? Object.fromEntries(Object.entries(fieldErrors(error)).map(([k, v]) => [idChamp(formulaire, k), v])) : {};
    return { formulaire, valeurs, erreurs, refus };
  }

  const versDossier = (reply: FastifyReply, d: { id: string }, message: string, ancre: string) =>
    reply.flash(message).redirect(`/dossiers/${d.id}#${ancre}`, 303);

  app.get<IdParams>('/dossiers/:id', { config: { policy: 'dossiers.voir' } }, async (req, reply) => {
    const acces = await dossierOuRefus(req, reply);
    if (!acces) return reply;
    return page(req, reply, acces);
  });

  app.post<IdParams>('/dossiers/:id/messages', { config: { policy: 'dossiers.voir' } }, async (req, reply) => {
    const acces = await dossierOuRefus(req, reply);
    if (!acces) return reply;
    const { d, role } = acces;
    if (!role || !vueDossier(role, d.statut as StatutDossier).messages) return sendError(req, reply, 403, 'Vous ne pouvez pas écrire sur ce dossier.');
    if (!authorize(req, reply, actionDuRole(role), await ressourceDossier(req, d))) return reply;
    const body = formBody(req);
    const parsed = schemaMessage.safeParse(body);
    if (!parsed.success) return page(req, reply, acces, saisieInvalide('message', body, parsed.error), 400);
    await ecrireMessage(db(), auditActor(req), d, role === 'association' ? 'association' : 'instruction', parsed.data.texte);
    return versDossier(reply, d, 'Message envoyé.', 'titre-echanges');
  });

  app.post<IdParams>('/dossiers/:id/annotations', { config: { policy: 'dossiers.instruire' } }, async (req, reply) => {
    const acces = await dossierOuRefus(req, reply, 'dossiers.instruire');
    if (!acces) return reply;
    const body = formBody(req);
    const parsed = schemaAnnotation.safeParse(body);
    if (!parsed.success) return page(req, reply, acces, saisieInvalide('annotation', body, parsed.error), 400);
    await annoter(db(), auditActor(req), acces.d, parsed.data.texte);
    return versDossier(reply, acces.d, 'Annotation ajoutée.', 'titre-annotations');
  });

  app.post<IdParams>('/dossiers/:id/avis', { config: { policy: 'dossiers.instruire' } }, async (req, reply) => {
    const acces = await dossierOuRefus(req, reply, 'dossiers.instruire');
    if (!acces) return reply;
    const { d } = acces;
    const body = formBody(req);
    if (!STATUTS_AVIS.includes(d.statut as StatutDossier)) {
      return sendError(req, reply, 409, `Ce dossier est « ${LIBELLES_STATUT_DOSSIER[d.statut as StatutDossier] ?? d.statut} » : les avis ne peuvent plus changer.`);
    }
    const financeurs = await financeursDe(db(), d.campagneId);
    const financeur = financeurs.find((f) => f.id === body.financeur && d.financements.some((l) => l.financeurId === f.id));
    if (!financeur) return sendError(req, reply, 400, 'Ce financeur n’est pas sollicité par la demande : choisissez-en un sur la page du dossier.');
    const formulaire = `avis-${financeur.id}`;
    const parsed = schemaAvis.safeParse(body);
    if (!parsed.success) return page(req, reply, acces, saisieInvalide(formulaire, body, parsed.error), 400);
    const { avis, propose, commentaire } = parsed.data;
    await donnerAvis(db(), auditActor(req), d, { financeurId: financeur.id, avis, proposeCentimes: propose, commentaire });
    return versDossier(reply, d, `Avis enregistré pour ${financeur.nom}.`, `titre-${formulaire}`);
  });

  app.post<EtapeParams>('/dossiers/:id/etapes/:etape', { config: { policy: 'dossiers.voir' } }, async (req, reply) => {
    const etape = req.params.etape as EtapeDossier;
    // Submitting a request is the request form's own route (it checks the request is complete).
    if (!ETAPES_DOSSIER.includes(etape) || etape === 'deposer') return sendError(req, reply, 404, 'Cette étape n’existe pas.');
    const acces = await dossierOuRefus(req, reply, etape === 'completer' ? 'dossiers.deposer' : 'dossiers.instruire');
    if (!acces) return reply;
    const { d, role } = acces;
    const t = TRANSITIONS_DOSSIER[etape];
    if (!role || !t.roles.includes(role)) return sendError(req, reply, 403, `Votre rôle ne permet pas de « ${t.libelle.toLowerCase()} ».`);
    if (ETAPES_DU_COMITE.includes(etape)) {
      return sendError(req, reply, 409, `Le comité de programmation accepte ou refuse les dossiers avec leurs montants, sur le tableau /appels-a-projets/${d.campagne.annee}/programmation.`);
    }
    const body = formBody(req);
    const formulaire = `etape-${etape}`;
    const parsed = schemaEtape(etape).safeParse(body);
    if (!parsed.success) return page(req, reply, acces, saisieInvalide(formulaire, body, parsed.error), 400);
    if (etape === 'completer') {
      // The request goes back to instruction complete and balanced, as at its first submission. The association's
      // documents are the instructors' call: a complement may be precisely the document they asked for.
      const manques = (await manquesPourDeposer(db(), d, aujourdhuiParis())).filter((m) => !m.champ.startsWith('document-'));
      if (manques.length > 0) {
        const liste = manques.map((m) => m.message).join(' ');
        return page(req, reply, acces, saisieInvalide(formulaire, body, null, `Le complément n’a pas été envoyé : la demande est encore incomplète. ${liste} Complétez-la avec « Modifier la demande », puis renvoyez ce message.`), 400);
      }
    }
    try {
      // The version of the page the person acted on: a file moved meanwhile is not moved again blindly.
      await franchirEtapeInstruction(db(), auditActor(req), { ...d, version: parsed.data.version }, etape, role, parsed.data.commentaire);
    } catch (e) {
      if (!(e instanceof EtapeRefusee)) throw e;
      const garde = parsed.data.commentaire ? ` Votre texte n’a pas été envoyé, le voici pour le reprendre : « ${parsed.data.commentaire} »` : '';
      const frais = (await dossierParId(db(), req.contrat.id, d.id)) ?? d;
      return page(req, reply, { d: frais, role }, saisieInvalide(formulaire, body, null, `${e.message}${garde}`), 409);
    }
    return versDossier(reply, d, `${t.libelle} : le dossier est maintenant « ${LIBELLES_STATUT_DOSSIER[t.vers]} ».`, 'titre-historique');
  });

  app.get<{ Params: { annee: string } }>('/appels-a-projets/:annee/dossiers', { config: { policy: 'dossiers.instruire' } }, async (req, reply) => {
    const p = anneeParams.safeParse(req.params);
    const c = p.success ? await campagneAapParAnnee(db(), req.contrat.id, p.data.annee) : undefined;
    if (!c) return sendError(req, reply, 404, 'Aucun appel à projets pour cette année.');
    // The route's policy let in anyone who instructs somewhere; each file is then checked on its own.
    const mayInstruct = (r: { organisationId: string; territoireIds: string[] }) => can(req.actor, 'dossiers.instruire', { contratId: req.contrat.id, ...r });
    const { liste, status } = await listeInstruction(db(), app.ctx.services.territoires, req.contrat.id, c, req.query, mayInstruct);
    return sendPage(req, reply, `${status === 200 ? '' : 'Erreur — '}Dossiers à instruire — ${c.titre}`, <InstructionPage l={liste} />, status);
  });
};
