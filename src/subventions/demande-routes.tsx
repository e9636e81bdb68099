import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { dateFr, titreNoeud } from '../contrat/model.ts';
import { z } from '../platform/validation.ts';
import { authorize, sendError } from '../platform/http/guard.tsx';
import { sendPage } from '../platform/http/render.tsx';
import { auditActor, formBody, isUuid } from '../platform/http/request.ts';
import type { FieldErrors } from '../platform/ui/forms.tsx';
import { aujourdhuiParis, ressourceDossier } from './acces.ts';
import { etatCampagne } from './model.ts';
import { ceQuiManque, dupliquer, equilibreDossier } from './demande-model.ts';
import { lireDemande, saisieDe, type SaisieDemande } from './demande-form.ts';
import {
  contenuDe,
  creerBrouillon,
  copieDans,
  creerDuplicata,
  documentsDe,
  dossiersDeOrganisation,
  enregistrerDemande,
  estModifiable,
  financementSaisi,
  financementsSource,
} from './demande-store.ts';
import { DemandePage, hrefModifier, type FormulaireDemande } from './demande-views.tsx';
import { MesDossiersPage, type MesDossiers } from './demande-liste-views.tsx';
import { campagneAapParAnnee, dossierParId, EtapeRefusee, financeursDe, franchirEtape, listerCampagnesAap, referenceDossier, structureDe, type CampagneAapRow, type DossierComplet } from './store.ts';

// An association's requests: its files across campaigns, a new draft or last year's taken up again, the
// CERFA form saved as often as needed with what is missing shown, and the submission before the deadline.

type IdParams = { Params: { id: string } };
const anneeSchema = z.coerce.number().int().min(2000).max(2100);
const titreSchema = z.string().trim().min(1, { error: 'Donnez un titre au projet pour créer la demande.' }).max(200, { error: 'Le titre doit compter au plus 200 caractères.' });
const MAX_NON_REPRIS_AFFICHES = 6;

export const demandeRoutes: FastifyPluginAsync = async (app) => {
  const db = () => app.ctx.db;

  /** The association the person acts for in this contract: the scope of its « association » role. */
  const organisationDe = (req: FastifyRequest) =>
    req.actor?.assignments.find((a) => a.role === 'association' && a.contratId === req.contrat.id && a.scopeKind === 'organisation')?.scopeRef ?? null;

  async function mesDossiers(req: FastifyRequest, organisationId: string, nouvelle: MesDossiers['nouvelle']): Promise<MesDossiers> {
    const [dossiers, campagnes] = await Promise.all([dossiersDeOrganisation(db(), req.contrat.id, organisationId), listerCampagnesAap(db(), req.contrat.id)]);
    const aujourdhui = aujourdhuiParis();
    return {
      dossiers: dossiers.map((d) => ({
        id: d.id,
        reference: referenceDossier(d, d.campagne.annee),
        titre: d.titre,
        annee: d.campagne.annee,
        statut: d.statut,
        demandeCentimes: d.demandeCentimes,
        modifiable: estModifiable(d.statut),
      })),
      ouvertes: campagnes
        .filter((c) => etatCampagne(c, aujourdhui) === 'ouverte')
        .map((c) => ({
          annee: c.annee,
          titre: c.titre,
          cloture: c.cloture,
          reprendre: dossiers
            .filter((d) => d.campagne.annee < c.annee)
            .map((d) => {
              // A request already taken up in this campaign is shown with its copy, not offered twice.
              const copie = dossiers.find((x) => x.campagne.annee === c.annee && x.dupliqueDeId === d.id);
              return { id: d.id, reference: referenceDossier(d, d.campagne.annee), titre: d.titre, copie: copie ? { id: copie.id, reference: referenceDossier(copie, c.annee) } : null };
            }),
        })),
      nouvelle,
    };
  }

  /** The association's organisation once the person may file requests for it; otherwise the answer is sent. */
  function monAssociation(req: FastifyRequest, reply: FastifyReply): string | null {
    const org = organisationDe(req);
    if (!org) {
      void sendError(req, reply, 403, 'Votre compte n’est rattaché à aucune association.');
      return null;
    }
    return authorize(req, reply, 'dossiers.deposer', { organisationId: org }) ? org : null;
  }

  app.get('/mes-dossiers', { config: { policy: 'dossiers.deposer' } }, async (req, reply) => {
    const org = monAssociation(req, reply);
    if (!org) return reply;
    const d = await mesDossiers(req, org, null);
    return sendPage(req, reply, 'Mes dossiers', (ctx) => <MesDossiersPage d={d} csrf={ctx.csrfToken} />);
  });

  /** An open campaign named by the URL or the form, or the answer sent. */
  async function campagneOuverte(req: FastifyRequest, reply: FastifyReply, annee: unknown): Promise<CampagneAapRow | null> {
    const a = anneeSchema.safeParse(annee);
    const c = a.success ? await campagneAapParAnnee(db(), req.contrat.id, a.data) : undefined;
    if (!c) {
      void sendError(req, reply, 404, 'Aucun appel à projets n’a lieu cette année-là.');
      return null;
    }
    if (etatCampagne(c, aujourdhuiParis()) !== 'ouverte') {
      void sendError(req, reply, 400, `L’appel à projets ${c.annee} n’accepte pas de demande aujourd’hui : il est ouvert du ${dateFr(c.ouverture)} au ${dateFr(c.cloture)} inclus.`);
      return null;
    }
    return c;
  }

  app.post<{ Params: { annee: string } }>('/appels-a-projets/:annee/demandes', { config: { policy: 'dossiers.deposer' } }, async (req, reply) => {
    const org = monAssociation(req, reply);
    if (!org) return reply;
    const c = await campagneOuverte(req, reply, req.params.annee);
    if (!c) return reply;
    const brut = formBody(req).titre;
    const t = titreSchema.safeParse(typeof brut === 'string' ? brut : '');
    if (!t.success) {
      const d = await mesDossiers(req, org, { annee: c.annee, titre: typeof brut === 'string' ? brut : '', erreur: t.error.issues[0]!.message });
      return sendPage(req, reply, 'Erreur — Mes dossiers', (ctx) => <MesDossiersPage d={d} csrf={ctx.csrfToken} />, 400);
    }
    const d = await creerBrouillon(db(), auditActor(req), { contratId: req.contrat.id, campagneId: c.id, organisationId: org, titre: t.data });
    return reply.flash(`Demande ${referenceDossier(d, c.annee)} créée. Remplissez-la à votre rythme : chaque enregistrement garde un brouillon.`).redirect(hrefModifier(d.id), 303);
  });

  /** The file the URL names, once the person may file requests for its association; otherwise the answer is sent. */
  async function dossierOuRefus(req: FastifyRequest<IdParams>, reply: FastifyReply): Promise<DossierComplet | null> {
    const d = isUuid(req.params.id) ? await dossierParId(db(), req.contrat.id, req.params.id) : undefined;
    if (!d) {
      void sendError(req, reply, 404, 'Ce dossier n’existe pas. Retrouvez vos demandes sur la page « Mes dossiers ».');
      return null;
    }
    return authorize(req, reply, 'dossiers.deposer', await ressourceDossier(req, d)) ? d : null;
  }

  const nomsTerritoires = async (contratId: string) => [
    ...(await app.ctx.services.territoires.lister(contratId, 'qpv')),
    ...(await app.ctx.services.territoires.lister(contratId, 'qva')),
  ];

  app.post<IdParams>('/dossiers/:id/dupliquer', { config: { policy: 'dossiers.deposer' } }, async (req, reply) => {
    const source = await dossierOuRefus(req, reply);
    if (!source) return reply;
    const cible = await campagneOuverte(req, reply, formBody(req).annee);
    if (!cible) return reply;
    if (cible.annee <= source.campagne.annee) return sendError(req, reply, 400, 'Une demande se reprend pour un appel d’une année suivante.');
    const deja = await copieDans(db(), source.id, cible.id);
    if (deja) {
      return reply.flash(`Cette demande est déjà reprise pour ${cible.annee} : c’est la demande ${referenceDossier(deja, cible.annee)}.`).redirect(`/dossiers/${deja.id}`, 303);
    }
    const contratId = req.contrat.id;
    const [financeurs, financements, territoires, noeuds] = await Promise.all([
      financeursDe(db(), cible.id),
      financementsSource(db(), source.id),
      nomsTerritoires(contratId),
      app.ctx.services.contrat.noeuds(contratId, source.noeudRefs),
    ]);
    const duplication = dupliquer(
      { contenu: contenuDe(source), annee: source.campagne.annee, financements },
      { ...cible, financeurs },
      { territoires: Object.fromEntries(territoires.map((t) => [t.id, `${t.nom} (${t.code})`])), noeuds: Object.fromEntries(noeuds.map((n) => [n.ref, `« ${titreNoeud(n)} »`])) },
    );
    const d = await creerDuplicata(db(), auditActor(req), { contratId, campagneId: cible.id, organisationId: source.organisationId, sourceId: source.id, duplication });
    const nr = duplication.nonRepris;
    const liste = nr.slice(0, MAX_NON_REPRIS_AFFICHES).join(' ; ') + (nr.length > MAX_NON_REPRIS_AFFICHES ? ` ; et ${nr.length - MAX_NON_REPRIS_AFFICHES} autres éléments` : '');
    const message = `Demande ${referenceDossier(d, cible.annee)} créée à partir de la demande ${referenceDossier(source, source.campagne.annee)}. ${
      nr.length ? `Non repris : ${liste}.` : 'Tout a été repris.'
    } Vérifiez chaque section avant de déposer.`;
    return reply.flash(message).redirect(hrefModifier(d.id), 303);
  });

  type Options = { saisie?: SaisieDemande; erreurs?: FieldErrors; depotRefuse?: string | null; conflit?: boolean };

  async function formulaire(req: FastifyRequest, d: DossierComplet, o: Options): Promise<FormulaireDemande> {
    const contratId = req.contrat.id;
    const c = d.campagne;
    const [financeurs, territoires, priorites, structure, documents] = await Promise.all([
      financeursDe(db(), c.id),
      nomsTerritoires(contratId),
      app.ctx.services.contrat.noeuds(contratId, c.prioriteRefs),
      structureDe(db(), d.organisationId),
      documentsDe(db(), contratId, d.organisationId),
    ]);
    const contenu = contenuDe(d);
    const financements = d.financements.map(financementSaisi);
    const ctx = { campagne: c, financeurs };
    return {
      dossier: { id: d.id, reference: referenceDossier(d, c.annee), titre: d.titre, version: d.version, annee: c.annee, campagneTitre: c.titre, association: d.association.nom, fictive: Boolean(structure?.fictive) },
      saisie: o.saisie ?? saisieDe(contenu, financements, ctx),
      erreurs: o.erreurs ?? {},
      manques: ceQuiManque({ dossier: contenu, financements, campagne: c, financeurIds: financeurs.map((f) => f.id), structure, documents, aujourdhui: aujourdhuiParis() }),
      depotRefuse: o.depotRefuse ?? null,
      conflit: o.conflit ?? false,
      quartiers: territoires.filter((t) => c.territoireIds.includes(t.id)).sort((a, b) => a.nom.localeCompare(b.nom, 'fr')),
      priorites: c.prioriteRefs.flatMap((ref) => priorites.filter((p) => p.ref === ref).map((p) => ({ ref, libelle: titreNoeud(p) }))),
      thematiques: c.thematiques,
      financeurs,
      equilibre: equilibreDossier(contenu, financements),
      etape: d.statut === 'complement_demande' ? 'completer' : 'deposer',
    };
  }

  async function page(req: FastifyRequest, reply: FastifyReply, d: DossierComplet, o: Options, status = 200) {
    const f = await formulaire(req, d, o);
    const titre = `Demande ${f.dossier.reference}`;
    return sendPage(req, reply, status === 200 ? titre : `Erreur — ${titre}`, (ctx) => <DemandePage f={f} csrf={ctx.csrfToken} />, status);
  }

  function nonModifiable(req: FastifyRequest, reply: FastifyReply, d: { id: string; statut: string }) {
    return sendPage(
      req,
      reply,
      'Demande non modifiable',
      <>
        <h1>Cette demande ne se modifie plus</h1>
        <p>
          Elle a été déposée : une demande ne se modifie qu’au brouillon, ou quand l’équipe d’instruction demande un complément. Pour signaler un changement,
          écrivez-lui depuis la page du dossier.
        </p>
        <p>
          <a href={`/dossiers/${d.id}`}>Voir le dossier</a> · <a href="/mes-dossiers">Mes dossiers</a>
        </p>
      </>,
      409,
    );
  }

  app.get<IdParams>('/dossiers/:id/modifier', { config: { policy: 'dossiers.deposer' } }, async (req, reply) => {
    const d = await dossierOuRefus(req, reply);
    if (!d) return reply;
    if (!estModifiable(d.statut)) return nonModifiable(req, reply, d);
    return page(req, reply, d, {});
  });

  /** Saves what parses, then either shows the form again or, to submit, checks what is missing and takes the step. */
  async function enregistrer(req: FastifyRequest<IdParams>, reply: FastifyReply, deposer: boolean) {
    const d = await dossierOuRefus(req, reply);
    if (!d) return reply;
    if (!estModifiable(d.statut)) return nonModifiable(req, reply, d);
    const financeurs = await financeursDe(db(), d.campagneId);
    const lu = lireDemande(formBody(req), { campagne: d.campagne, financeurs }, { contenu: contenuDe(d), financements: d.financements.map(financementSaisi) });
    if (lu.version === null) return sendError(req, reply, 400, 'Le formulaire est incomplet : rechargez la page de la demande.');
    const r = await enregistrerDemande(db(), auditActor(req), { contratId: req.contrat.id, dossierId: d.id, versionLue: lu.version, contenu: lu.contenu, financements: lu.financements });
    if (!r.ok && r.raison === 'absent') return sendError(req, reply, 404);
    const actuel = (await dossierParId(db(), req.contrat.id, d.id))!;
    if (!r.ok && r.raison === 'statut') return nonModifiable(req, reply, actuel);
    if (!r.ok) return page(req, reply, actuel, { saisie: lu.saisie, erreurs: lu.erreurs, conflit: true }, 409);
    const erreurs = Object.keys(lu.erreurs).length > 0;
    if (!deposer) {
      if (erreurs) return page(req, reply, actuel, { saisie: lu.saisie, erreurs: lu.erreurs }, 400);
      return reply.flash('Brouillon enregistré.').redirect(hrefModifier(d.id), 303);
    }
    const refus = (message: string, status = 400) => page(req, reply, actuel, { saisie: lu.saisie, erreurs: lu.erreurs, depotRefuse: message }, status);
    const etape = actuel.statut === 'complement_demande' ? 'completer' : 'deposer';
    const c = actuel.campagne;
    const etat = etatCampagne(c, aujourdhuiParis());
    // A complement asked by the instructors is answered after the closing day too: only a first submission keeps to the calendar.
    if (etape === 'deposer' && etat !== 'ouverte') {
      return refus(
        etat === 'close'
          ? `La demande n’a pas été déposée : l’appel à projets ${c.annee} est clos depuis le ${dateFr(c.cloture)}. Votre saisie est enregistrée comme brouillon.`
          : `La demande n’a pas été déposée : l’appel à projets ${c.annee} ouvre le ${dateFr(c.ouverture)}. Votre saisie est enregistrée comme brouillon.`,
      );
    }
    const f = await formulaire(req, actuel, {});
    if (erreurs || f.manques.length > 0) return refus('La demande n’a pas été déposée : complétez-la d’abord. Votre saisie est enregistrée comme brouillon.');
    try {
      await franchirEtape(db(), auditActor(req), actuel, etape, 'association', null, etape === 'deposer' ? { deposeLe: new Date() } : {});
    } catch (e) {
      if (e instanceof EtapeRefusee) return refus(e.message, 409);
      throw e;
    }
    const ref = referenceDossier(actuel, c.annee);
    const message = etape === 'deposer' ? `Votre demande ${ref} est déposée. L’équipe d’instruction de votre quartier va l’étudier.` : `Votre complément à la demande ${ref} est envoyé à l’équipe d’instruction.`;
    return reply.flash(message).redirect(`/dossiers/${d.id}`, 303);
  }

  app.post<IdParams>('/dossiers/:id/modifier', { config: { policy: 'dossiers.deposer' } }, (req, reply) => enregistrer(req, reply, false));
  app.post<IdParams>('/dossiers/:id/deposer', { config: { policy: 'dossiers.deposer' } }, (req, reply) => enregistrer(req, reply, true));
};
