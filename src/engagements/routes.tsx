import { can } from '../platform/auth/policy.ts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from '../platform/validation.ts';
import { authorize, sendError } from '../platform/http/guard.tsx';
import { sendPage } from '../platform/http/render.tsx';
import { auditActor, formBody, typed } from '../platform/http/request.ts';
import { fieldErrors, type FieldErrors } from '../platform/ui/forms.tsx';
import { MESSAGES_REFUS, saisieOuverte, STATUTS_FICHE, TRANSITIONS_FICHE, type StatutFiche } from './model.ts';
import { aujourdhui, campagneVisible, ficheVisible, pilote, saisitFiche, suitFiche } from './acces.ts';
import { campagnesApi } from './campagne-api.ts';
import { CampagnePage, CampagnesPage, hrefCampagne, hrefFiche, jourFr, type Filtres, type Formulaire } from './campagne-views.tsx';
import { FichePage, type FicheAffichee } from './fiche-views.tsx';
import { idCommentaire, type EtatDecision, type EtatSaisie } from './fiche-saisie-views.tsx';
import {
  ETAPES_DIRECTION,
  garderDatesImprimees,
  libellesFormulaire,
  saisieDeFiche,
  saisieDuFormulaire,
  schemaBascule,
  schemaEcheance,
  schemaEtape,
  schemaFiche,
  schemaOuverture,
  type EtapeDirection,
} from './fiche-form.ts';
import { campagneParAnnee, ficheParNumero, listerCampagnes, listerFiches, modifierCampagne, ouvrirCampagne, type CampagneRow } from './store.ts';
import { changerStatut, enregistrerFiche, ajouterMesure } from './saisie-store.ts';

// The yearly campaign of monitoring sheets: the campaigns, a campaign's sheets, a sheet with its entry
// form; the direction opens campaigns, sets the deadline, closes entry, validates or sends back sheets
// and publishes the bilan. Every page works without JavaScript; every write redirects (303) with a message.

type AnneeParams = { Params: { annee: string } };
type FicheParams = { Params: { annee: string; numero: string } };

const anneeParam = z.coerce.number().int().min(1900).max(2200);
const numeroParam = z.coerce.number().int().min(1).max(100_000);
const filtresQuery = z.object({
  statut: z.enum(['', ...STATUTS_FICHE], { error: 'Statut inconnu.' }).default(''),
  organisation: z.string().max(40).default(''),
  alertes: z.literal('oui', { error: 'Filtre « avec alertes » invalide.' }).optional(),
});

const MESSAGES_ETAPE: Record<EtapeDirection, string> = {
  valider: 'Fiche validée.',
  renvoyer: 'Fiche renvoyée pour correction : le partenaire voit votre commentaire.',
  rouvrir: 'Saisie de la fiche rouverte.',
};

export const engagementsRoutes: FastifyPluginAsync = async (app) => {
  campagnesApi(app);
  const db = () => app.ctx.db;

  async function nomsOrganisations(req: FastifyRequest): Promise<Map<string, string>> {
    return new Map((await app.ctx.scopes.organisation(db(), req.contrat.id)).map((o) => [o.id, o.label]));
  }

  /** The campaign the URL names, if this person may see it; otherwise the answer (404, sign-in, 403) is sent. */
  async function campagneOuRefus(req: FastifyRequest<AnneeParams>, reply: FastifyReply): Promise<CampagneRow | null> {
    const annee = anneeParam.safeParse(req.params.annee);
    const c = annee.success ? await campagneParAnnee(db(), req.contrat.id, annee.data) : undefined;
    if (!c) {
      void sendError(req, reply, 404, 'Aucune campagne de suivi pour cette année.');
      return null;
    }
    if (!campagneVisible(req, c)) {
      authorize(req, reply, 'fiches.voir');
      return null;
    }
    return c;
  }

  async function ficheOuRefus(req: FastifyRequest<FicheParams>, reply: FastifyReply): Promise<{ c: CampagneRow; f: FicheAffichee } | null> {
    const c = await campagneOuRefus(req, reply);
    if (!c) return null;
    const numero = numeroParam.safeParse(req.params.numero);
    const f = numero.success ? await ficheParNumero(db(), c.id, numero.data) : null;
    if (!f) {
      void sendError(req, reply, 404, `La campagne ${c.annee} n’a pas de fiche n° ${req.params.numero}.`);
      return null;
    }
    if (!ficheVisible(req, c, f)) {
      authorize(req, reply, 'fiches.voir', { organisationId: f.organisationId ?? undefined });
      return null;
    }
    return { c, f };
  }

  // ——— Campaigns ———

  async function pageCampagnes(req: FastifyRequest, reply: FastifyReply, ouverture?: Formulaire<{ annee?: string | undefined; echeance?: string | undefined }>) {
    const campagnes = (await listerCampagnes(db(), req.contrat.id)).filter((c) => campagneVisible(req, c));
    const formulaire = pilote(req) ? (ouverture ?? { values: {}, errors: {} }) : null;
    const titre = 'Les campagnes de suivi des engagements';
    return sendPage(
      req,
      reply,
      ouverture ? `Erreur — ${titre}` : titre,
      (ctx) => <CampagnesPage campagnes={campagnes} aujourdhui={aujourdhui()} ouverture={formulaire} csrf={ctx.csrfToken} />,
      ouverture ? 400 : 200,
    );
  }

  app.get('/suivi', { config: { policy: 'contrat.voir' } }, (req, reply) => pageCampagnes(req, reply));

  app.post('/suivi/campagnes', { config: { policy: 'campagnes.piloter' } }, async (req, reply) => {
    if (!authorize(req, reply, 'campagnes.piloter')) return reply;
    const body = formBody(req);
    const values = { annee: typed(body, 'annee'), echeance: typed(body, 'echeance') };
    const parsed = schemaOuverture.safeParse(body);
    if (!parsed.success) return pageCampagnes(req, reply, { values, errors: fieldErrors(parsed.error) });
    const r = await ouvrirCampagne(db(), auditActor(req), req.contrat.id, parsed.data.annee, parsed.data.echeance);
    if (!r.ok) return pageCampagnes(req, reply, { values, errors: { annee: r.message } });
    const n = (await listerFiches(db(), r.campagne.id)).length;
    return reply.flash(`Campagne ${r.campagne.annee} ouverte : ${n} fiche${n > 1 ? 's' : ''} à remplir avant le ${jourFr(r.campagne.echeance)}.`).redirect(hrefCampagne(r.campagne.annee), 303);
  });

  async function pageCampagne(req: FastifyRequest, reply: FastifyReply, c: CampagneRow, filtres: Filtres, pilotage?: Formulaire<{ echeance?: string | undefined }>) {
    const [fiches, noms] = await Promise.all([listerFiches(db(), c.id), nomsOrganisations(req)]);
    const visibles = fiches
      .filter((f) => ficheVisible(req, c, f))
      .map((f) => ({ fiche: f, organisation: (f.organisationId && noms.get(f.organisationId)) || f.services || 'Non renseignée', mienne: saisitFiche(req, f) }));
    // The sheets the person fills in come first, each group in the campaign's order.
    visibles.sort((a, b) => Number(b.mienne) - Number(a.mienne) || a.fiche.numero - b.fiche.numero);
    const organisations = [...new Map(visibles.filter((l) => l.fiche.organisationId).map((l) => [l.fiche.organisationId!, l.organisation])).entries()]
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label, 'fr'));
    const lignes = visibles.filter(
      (l) =>
        (!filtres.statut || l.fiche.statut === filtres.statut) &&
        (!filtres.organisation || l.fiche.organisationId === filtres.organisation) &&
        (!filtres.alertes || l.fiche.mesures.some((m) => m.alertes.length > 0)),
    );
    const titre = `Campagne de suivi ${c.annee}`;
    return sendPage(
      req,
      reply,
      pilotage ? `Erreur — ${titre}` : titre,
      (ctx) => (
        <CampagnePage
          campagne={c}
          bilan={c.publiee || can(req.actor, 'fiches.voir', { contratId: req.contrat.id })}
          aujourdhui={aujourdhui()}
          lignes={lignes}
          total={visibles.length}
          filtres={filtres}
          organisations={organisations}
          pilotage={pilote(req) ? (pilotage ?? { values: {}, errors: {} }) : null}
          csrf={ctx.csrfToken}
        />
      ),
      pilotage ? 400 : 200,
    );
  }

  app.get<AnneeParams>('/suivi/:annee', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const c = await campagneOuRefus(req, reply);
    if (!c) return reply;
    const q = filtresQuery.safeParse(req.query ?? {});
    if (!q.success) return sendError(req, reply, 400, q.error.issues.map((i) => i.message).join(' '));
    return pageCampagne(req, reply, c, { statut: q.data.statut, organisation: q.data.organisation, alertes: q.data.alertes === 'oui' });
  });

  const sansFiltre: Filtres = { statut: '', organisation: '', alertes: false };

  app.post<AnneeParams>('/suivi/:annee/echeance', { config: { policy: 'campagnes.piloter' } }, async (req, reply) => {
    const c = await campagneOuRefus(req, reply);
    if (!c || !authorize(req, reply, 'campagnes.piloter')) return reply;
    const body = formBody(req);
    const parsed = schemaEcheance.safeParse(body);
    if (!parsed.success) return pageCampagne(req, reply, c, sansFiltre, { values: { echeance: typed(body, 'echeance') }, errors: fieldErrors(parsed.error) });
    await modifierCampagne(db(), auditActor(req), req.contrat.id, c.annee, { echeance: parsed.data.echeance });
    return reply.flash(`Échéance fixée au ${jourFr(parsed.data.echeance)}.`).redirect(hrefCampagne(c.annee), 303);
  });

  /** A yes/no switch of the campaign: closing entry, publishing the bilan. */
  function bascule(chemin: string, champ: 'close' | 'publiee', messages: { oui: string; non: string }) {
    app.post<AnneeParams>(`/suivi/:annee/${chemin}`, { config: { policy: 'campagnes.piloter' } }, async (req, reply) => {
      const c = await campagneOuRefus(req, reply);
      if (!c || !authorize(req, reply, 'campagnes.piloter')) return reply;
      const parsed = schemaBascule.safeParse(formBody(req));
      if (!parsed.success) return sendError(req, reply, 400, parsed.error.issues[0]!.message);
      await modifierCampagne(db(), auditActor(req), req.contrat.id, c.annee, { [champ]: parsed.data.valeur === 'oui' });
      return reply.flash(messages[parsed.data.valeur]).redirect(hrefCampagne(c.annee), 303);
    });
  }
  bascule('cloture', 'close', { oui: 'Saisie close : les partenaires ne peuvent plus enregistrer.', non: 'Saisie rouverte jusqu’à l’échéance.' });
  bascule('publication', 'publiee', { oui: 'Bilan publié : les fiches validées sont publiques.', non: 'Publication du bilan retirée.' });

  // ——— One sheet ———

  async function pageFiche(
    req: FastifyRequest,
    reply: FastifyReply,
    c: CampagneRow,
    f: FicheAffichee,
    etat: { saisie?: Omit<EtatSaisie, 'formulaire'>; decision?: { values: EtatDecision['values']; errors: FieldErrors }; status?: number } = {},
  ) {
    const noms = await nomsOrganisations(req);
    const ouverte = saisitFiche(req, f) && saisieOuverte({ statut: f.statut as StatutFiche, rouverte: f.rouverte }, c, aujourdhui());
    const saisie: EtatSaisie | null = etat.saisie
      ? { ...etat.saisie, formulaire: ouverte }
      : ouverte
        ? { values: saisieDeFiche(f), errors: {}, conflit: null, refus: null, formulaire: true }
        : null;
    const decision: EtatDecision | null = pilote(req)
      ? { etapes: ETAPES_DIRECTION.filter((e) => TRANSITIONS_FICHE[e].de.includes(f.statut as StatutFiche)), values: etat.decision?.values ?? {}, errors: etat.decision?.errors ?? {} }
      : null;
    const titre = `Fiche n° ${f.numero} — ${f.titre}`;
    return sendPage(
      req,
      reply,
      etat.status ? `Erreur — ${titre}` : titre,
      (ctx) => (
        <FichePage
          campagne={c}
          fiche={f}
          organisation={(f.organisationId && noms.get(f.organisationId)) || f.services || 'Non renseignée'}
          suivi={suitFiche(req, f)}
          saisie={saisie}
          libelles={libellesFormulaire(f.mesures)}
          decision={decision}
          csrf={ctx.csrfToken}
        />
      ),
      etat.status ?? 200,
    );
  }

  app.get<FicheParams>('/suivi/:annee/fiches/:numero', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const found = await ficheOuRefus(req, reply);
    return found ? pageFiche(req, reply, found.c, found.f) : reply;
  });

  app.post<FicheParams>('/suivi/:annee/fiches/:numero', { config: { policy: 'fiches.saisir' } }, async (req, reply) => {
    const found = await ficheOuRefus(req, reply);
    if (!found) return reply;
    const { c, f } = found;
    if (!authorize(req, reply, 'fiches.saisir', { organisationId: f.organisationId ?? undefined, organisationParents: f.organisationParentId ? [f.organisationParentId] : [] })) return reply;
    const body = formBody(req);
    const values = saisieDuFormulaire(body, f.mesures);
    const parsed = schemaFiche(f.mesures).safeParse(body);
    if (!parsed.success) return pageFiche(req, reply, c, f, { saisie: { values, errors: fieldErrors(parsed.error), conflit: null, refus: null }, status: 400 });
    const saisie = garderDatesImprimees(parsed.data, f.mesures);
    const by = auditActor(req);
    const jour = aujourdhui();
    const r = await enregistrerFiche(db(), by, { contratId: req.contrat.id, ficheId: f.id, versionLue: saisie.version, champs: saisie.champs, mesures: saisie.mesures, aujourdhui: jour });
    if (!r.ok) {
      const actuelle = (await ficheParNumero(db(), c.id, f.numero))!;
      // What was typed stays in the form; it now carries the current version, to be saved again once merged.
      const etat = 'conflit' in r ? { conflit: r.conflit, refus: null } : { conflit: null, refus: MESSAGES_REFUS[r.refus] };
      return pageFiche(req, reply, c, actuelle, { saisie: { values: { ...values, version: String(actuelle.version) }, errors: {}, ...etat }, status: 409 });
    }
    const lien = hrefFiche(c.annee, f.numero);
    if (saisie.etape === 'enregistrer') return reply.flash('Brouillon enregistré.').redirect(lien, 303);
    if (saisie.etape === 'ajouter_mesure') {
      const a = await ajouterMesure(db(), by, { contratId: req.contrat.id, ficheId: f.id, versionLue: r.fiche.version, aujourdhui: jour });
      const message = a.ok ? 'Brouillon enregistré et mesure ajoutée : renseignez-la.' : 'Brouillon enregistré, mais la mesure n’a pas pu être ajoutée.';
      return reply.flash(message).redirect(`${lien}#titre-saisie`, 303);
    }
    const s = await changerStatut(db(), by, { contratId: req.contrat.id, ficheId: f.id, etape: 'soumettre', commentaire: '', aujourdhui: jour, versionLue: r.fiche.version });
    if (s.ok) return reply.flash('Fiche soumise à la direction de projet.').redirect(lien, 303);
    const pourquoi = 'refus' in s ? MESSAGES_REFUS[s.refus] : 'La fiche a été modifiée entre-temps.';
    return reply.flash(`Brouillon enregistré, mais la fiche n’a pas été soumise. ${pourquoi}`).redirect(lien, 303);
  });

  app.post<FicheParams>('/suivi/:annee/fiches/:numero/decision', { config: { policy: 'campagnes.piloter' } }, async (req, reply) => {
    const found = await ficheOuRefus(req, reply);
    if (!found) return reply;
    const { c, f } = found;
    if (!authorize(req, reply, 'campagnes.piloter', { organisationId: f.organisationId ?? undefined })) return reply;
    const parsed = schemaEtape.safeParse(formBody(req));
    if (!parsed.success) return sendError(req, reply, 400, parsed.error.issues.map((i) => i.message).join(' '));
    const { etape, commentaire, version } = parsed.data;
    const r = await changerStatut(db(), auditActor(req), { contratId: req.contrat.id, ficheId: f.id, etape, commentaire, aujourdhui: aujourdhui(), versionLue: version });
    if (r.ok) return reply.flash(MESSAGES_ETAPE[etape]).redirect(hrefFiche(c.annee, f.numero), 303);
    const actuelle = (await ficheParNumero(db(), c.id, f.numero))!;
    const values = { [etape]: commentaire };
    if ('refus' in r && r.refus === 'commentaire') {
      return pageFiche(req, reply, c, actuelle, { decision: { values, errors: { [idCommentaire(etape)]: MESSAGES_REFUS.commentaire } }, status: 400 });
    }
    const message = 'refus' in r ? MESSAGES_REFUS[r.refus] : 'La fiche a changé depuis que vous l’avez ouverte : relisez-la avant de décider.';
    return pageFiche(req, reply, c, actuelle, { decision: { values, errors: { _: message } }, status: 409 });
  });
};
