import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from '../validation.ts';
import { authorize, sendError } from '../http/guard.tsx';
import { sendPage } from '../http/render.tsx';
import { fieldErrors } from '../ui/forms.tsx';
import { AccountPage, type AccountPageProps } from './account-page.tsx';
import { passwordSchema, waitMessage } from './model.ts';
import { startSession } from './routes.tsx';
import { describeAssignments } from './scope-labels.ts';
import { findAccountById, signInWithPassword, updateAccount } from './store.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './tokens-store.ts';
import { auditActor } from '../http/request.ts';

const tokenNameSchema = z.object({
  nom: z
    .string({ error: 'Saisissez un nom pour le jeton.' })
    .trim()
    .min(2, { error: 'Le nom du jeton doit compter au moins 2 caractères.' })
    .max(80, { error: 'Le nom du jeton doit compter au plus 80 caractères.' }),
});

const passwordChangeSchema = z
  .object({
    motDePasseActuel: z.string({ error: 'Saisissez votre mot de passe actuel.' }).min(1, { error: 'Saisissez votre mot de passe actuel.' }),
    nouveauMotDePasse: passwordSchema,
    confirmation: z.string({ error: 'Confirmez le nouveau mot de passe.' }).min(1, { error: 'Confirmez le nouveau mot de passe.' }),
  })
  .superRefine((v, ctx) => {
    if (v.nouveauMotDePasse === v.motDePasseActuel) {
      ctx.addIssue({ code: 'custom', path: ['nouveauMotDePasse'], message: "Choisissez un mot de passe différent de l'actuel." });
    } else if (v.confirmation !== v.nouveauMotDePasse) {
      ctx.addIssue({ code: 'custom', path: ['confirmation'], message: 'La confirmation ne correspond pas au nouveau mot de passe.' });
    }
  });

const tokenIdSchema = z.uuid();

type PageExtras = Pick<AccountPageProps, 'newToken' | 'tokenForm' | 'errors'>;

async function sendAccountPage(req: FastifyRequest, reply: FastifyReply, extras: PageExtras = {}, status = 200) {
  const { db, scopes } = req.server.ctx;
  const actor = req.actor!;
  const [row, roles, tokens] = await Promise.all([
    findAccountById(db, actor.id),
    describeAssignments(db, scopes, actor.assignments),
    listApiTokens(db, actor.id),
  ]);
  const title = extras.errors ? 'Erreur — Mon compte' : 'Mon compte';
  return sendPage(
    req,
    reply,
    title,
    (ctx) => (
      <AccountPage
        csrf={ctx.csrfToken}
        displayName={actor.displayName}
        email={actor.email}
        hasPassword={Boolean(row?.passwordHash)}
        roles={roles}
        tokens={tokens}
        {...extras}
      />
    ),
    status,
  );
}

/** The person's own account: identity and roles, personal API tokens, password. */
export const accountRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.ctx;
  // Everything here is about the signed-in person's own account: the 'own' grant of the policy.
  const own = (req: FastifyRequest, reply: FastifyReply) => authorize(req, reply, 'compte.gerer', { ownerId: req.actor?.id });

  app.get('/compte', { config: { policy: 'compte.gerer' } }, async (req, reply) => {
    if (!own(req, reply)) return reply;
    return sendAccountPage(req, reply);
  });

  app.post('/compte/jetons', { config: { policy: 'compte.gerer' } }, async (req, reply) => {
    if (!own(req, reply)) return reply;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = tokenNameSchema.safeParse(body);
    if (!parsed.success) {
      const nom = typeof body.nom === 'string' ? body.nom : '';
      return sendAccountPage(req, reply, { errors: { form: 'jeton', fields: fieldErrors(parsed.error) }, tokenForm: { nom } }, 400);
    }
    const { row, token } = await createApiToken(db, auditActor(req), req.actor!.id, parsed.data.nom);
    // The clear token exists only in this response: answered directly (never through a redirect
    // URL or a cookie), and kept out of the browser's cache.
    reply.header('cache-control', 'no-store');
    return sendAccountPage(req, reply, { newToken: { name: row.name, token } }, 201);
  });

  app.post<{ Params: { id: string } }>('/compte/jetons/:id/revocation', { config: { policy: 'compte.gerer' } }, async (req, reply) => {
    if (!own(req, reply)) return reply;
    const id = tokenIdSchema.safeParse(req.params.id);
    // Only the person's own tokens are looked at: another person's token is as unknown as a made-up id.
    const token = id.success ? (await listApiTokens(db, req.actor!.id)).find((t) => t.id === id.data) : undefined;
    if (!token) return sendError(req, reply, 404, "Ce jeton n'existe pas parmi les vôtres.");
    if (token.revokedAt) return reply.flash('Ce jeton était déjà révoqué.').redirect('/compte#jetons');
    await revokeApiToken(db, auditActor(req), req.actor!.id, token.id);
    return reply.flash('Jeton révoqué.').redirect('/compte#jetons');
  });

  app.post(
    '/compte/mot-de-passe',
    { config: { policy: 'compte.gerer', rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (req, reply) => {
      if (!own(req, reply)) return reply;
      const again = (fields: Record<string, string>, status: number) =>
        sendAccountPage(req, reply, { errors: { form: 'mot-de-passe', fields } }, status);
      const parsed = passwordChangeSchema.safeParse(req.body ?? {});
      if (!parsed.success) return again(fieldErrors(parsed.error), 400);
      const row = await findAccountById(db, req.actor!.id);
      if (!row?.passwordHash) return again({ _: "Votre compte n'a pas de mot de passe : vous vous connectez par un fournisseur d'identité." }, 400);
      // The current password is checked like a sign-in, throttled, so that an unattended open
      // session does not let anyone try passwords at leisure.
      const check = await signInWithPassword(db, row.email, parsed.data.motDePasseActuel, req.ip);
      if (!check.ok) {
        return check.reason === 'attente'
          ? again({ motDePasseActuel: waitMessage(check.seconds) }, 429)
          : again({ motDePasseActuel: 'Le mot de passe actuel est incorrect.' }, 400);
      }
      // The change ends every session of the account; this browser gets a new one.
      await updateAccount(db, auditActor(req), row.id, { password: parsed.data.nouveauMotDePasse });
      await startSession(req, reply, row.id, 'mot-de-passe');
      return reply.flash('Mot de passe changé. Vos sessions ouvertes sur les autres appareils ont été fermées.').redirect('/compte');
    },
  );
};
