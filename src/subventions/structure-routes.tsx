import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { authorize, sendError } from '../platform/http/guard.tsx';
import { sendPage } from '../platform/http/render.tsx';
import { auditActor, formBody, typed } from '../platform/http/request.ts';
import { fieldErrors, type FieldErrors } from '../platform/ui/forms.tsx';
import { aujourdhuiParis } from './acces.ts';
import { documentsRoutes } from './documents-routes.tsx';
import { listerDocuments } from './documents-store.ts';
import { inscriptionSchema, LIBELLES_INSCRIPTION, LIBELLES_PROFIL, profilSchema, valeursProfil } from './structure-form.ts';
import { associationDe, documentsManquants, LIBELLES_TYPE_DOCUMENT, localisationDe } from './structure-model.ts';
import { enregistrerProfil, inscrireAssociation, structureAvecNom, type StructureAvecNom } from './structure-store.ts';
import { InscriptionPage, ProfilPage, TITRE_INSCRIPTION, TITRE_PROFIL, type Valeurs } from './structure-views.tsx';

// An association's sign-up (its account and its organisation at once) and its profile page. The
// documents live in documents-routes.tsx, with the multipart reader they alone need.

const SANS_ASSOCIATION = 'Votre compte n’est rattaché à aucune association. Pour en inscrire une, déconnectez-vous puis créez son espace.';

export const structureRoutes: FastifyPluginAsync = async (app) => {
  const db = () => app.ctx.db;

  /** What was typed, passwords left out: a page sent back never carries them. */
  const saisie = (body: Record<string, unknown>, champs: string[]): Valeurs =>
    Object.fromEntries(champs.filter((c) => c !== 'motDePasse' && c !== 'confirmation').map((c) => [c, typed(body, c)]));

  const inscription = (req: FastifyRequest, reply: FastifyReply, valeurs: Valeurs, errors: FieldErrors, status = 200) =>
    sendPage(req, reply, status === 200 ? TITRE_INSCRIPTION : `Erreur — ${TITRE_INSCRIPTION}`, (ctx) => <InscriptionPage csrf={ctx.csrfToken} valeurs={valeurs} errors={errors} />, status);

  app.get('/inscription/association', { config: { policy: 'portail.voir' } }, async (req, reply) => {
    if (associationDe(req.actor, req.contrat.id)) return reply.redirect('/structure', 303);
    return inscription(req, reply, {}, {});
  });

  app.post('/inscription/association', { config: { policy: 'portail.voir', rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (req, reply) => {
    const body = formBody(req);
    const valeurs = saisie(body, Object.keys(LIBELLES_INSCRIPTION));
    const parsed = inscriptionSchema.safeParse(body);
    if (!parsed.success) return inscription(req, reply, valeurs, fieldErrors(parsed.error), 400);
    const s = parsed.data;
    // Located before the transaction: the locator reads the database on its own.
    const localisation = localisationDe(await app.ctx.services.territoires.localiserAdresse(req.contrat.id, s.adresse));
    const r = await inscrireAssociation(db(), { id: null, label: s.email, ip: req.ip }, { contratId: req.contrat.id, saisie: s, localisation });
    if (!r.ok) return inscription(req, reply, valeurs, { [r.champ]: r.message }, 400);
    return reply
      .flash(`L’espace de « ${s.nomAssociation} » est prêt. Connectez-vous avec votre adresse électronique et votre mot de passe pour compléter son profil.`)
      .redirect(`/connexion?retour=${encodeURIComponent('/structure')}`, 303);
  });

  /** The profile of the person's association, or an answer already sent (sign-in, 403, 404). */
  async function profil(req: FastifyRequest, reply: FastifyReply): Promise<StructureAvecNom | null> {
    const organisationId = associationDe(req.actor, req.contrat.id);
    if (!organisationId) {
      void sendError(req, reply, 404, SANS_ASSOCIATION);
      return null;
    }
    if (!authorize(req, reply, 'organisation.gerer', { organisationId })) return null;
    const s = await structureAvecNom(db(), req.contrat.id, organisationId);
    if (!s) void sendError(req, reply, 404, 'Cette association n’a pas encore de profil sur Pilotis.');
    return s ?? null;
  }

  async function pageProfil(req: FastifyRequest, reply: FastifyReply, s: StructureAvecNom, extra: { valeurs?: Valeurs; errors?: FieldErrors; conflit?: boolean; version?: number } = {}, status = 200) {
    const docs = await listerDocuments(db(), req.contrat.id, s.organisationId);
    const manquants = documentsManquants(docs, aujourdhuiParis()).map((t) => LIBELLES_TYPE_DOCUMENT[t]);
    const titre = status === 200 ? TITRE_PROFIL : `Erreur — ${TITRE_PROFIL}`;
    return sendPage(
      req,
      reply,
      titre,
      (ctx) => (
        <ProfilPage
          csrf={ctx.csrfToken}
          nom={s.nom}
          fictive={s.fictive !== null}
          version={extra.version ?? s.version}
          localisation={s.localisation}
          valeurs={extra.valeurs ?? valeursProfil(s)}
          errors={extra.errors ?? {}}
          conflit={extra.conflit ? { adresse: s.adresse, siret: s.siret } : undefined}
          documentsManquants={manquants}
        />
      ),
      status,
    );
  }

  app.get('/structure', { config: { policy: 'organisation.gerer' } }, async (req, reply) => {
    const s = await profil(req, reply);
    if (!s) return reply;
    return pageProfil(req, reply, s);
  });

  app.post('/structure', { config: { policy: 'organisation.gerer' } }, async (req, reply) => {
    const s = await profil(req, reply);
    if (!s) return reply;
    const body = formBody(req);
    const valeurs = saisie(body, Object.keys(LIBELLES_PROFIL));
    const versionLue = Number(typed(body, 'version'));
    const parsed = profilSchema.safeParse(body);
    if (!parsed.success) return pageProfil(req, reply, s, { valeurs, errors: fieldErrors(parsed.error), version: versionLue || s.version }, 400);
    const { champs, version } = parsed.data;
    const localisation = localisationDe(await app.ctx.services.territoires.localiserAdresse(req.contrat.id, champs.adresse));
    const r = await enregistrerProfil(db(), auditActor(req), { contratId: req.contrat.id, organisationId: s.organisationId, versionLue: version, champs, localisation, nom: s.nom });
    if (!r.ok && 'conflit' in r) return pageProfil(req, reply, { ...r.conflit, nom: s.nom }, { valeurs, conflit: true }, 409);
    if (!r.ok) return pageProfil(req, reply, s, { valeurs, errors: { [r.champ]: r.message }, version }, 400);
    return reply.flash(`Profil enregistré. ${localisation.phrase}`).redirect('/structure', 303);
  });

  await app.register(documentsRoutes);
};
