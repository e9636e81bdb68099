import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sendPage } from '../http/render.tsx';
import { CsrfField, ErrorSummary, fieldErrors, TextField, type FieldErrors } from '../ui/forms.tsx';
import { safeReturnPath, waitMessage, SESSION_COOKIE, signInSchema } from './model.ts';
import { closeSession, openSession, signInWithPassword } from './store.ts';

const LABELS = { email: 'Adresse électronique', motDePasse: 'Mot de passe' };

function sessionCookieOptions(req: FastifyRequest) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: req.server.ctx.config.secureCookies };
}

/** Shared by password and OpenID Connect sign-in: opens the session and sets its cookie. */
export async function startSession(req: FastifyRequest, reply: FastifyReply, accountId: string, method: 'mot-de-passe' | 'oidc') {
  // A session open in this browser ends: one person, one session per browser.
  if (req.sessionSecret) await closeSession(req.server.ctx.db, req.sessionSecret, req.ip);
  // A new session id at each sign-in (no session fixation).
  const secret = await openSession(req.server.ctx.db, accountId, method, req.ip);
  reply.setCookie(SESSION_COOKIE, secret, sessionCookieOptions(req));
}

function SignInPage(props: { csrf: string; email?: string; retour: string; errors: FieldErrors; oidcLabel?: string | undefined }) {
  return (
    <div class="narrow">
      <h1>Se connecter à Pilotis</h1>
      <ErrorSummary errors={props.errors} labels={LABELS} />
      {props.oidcLabel && (
        <section aria-labelledby="titre-oidc" class="card">
          <h2 id="titre-oidc">Agents publics</h2>
          <form method="post" action="/connexion/oidc">
            <CsrfField token={props.csrf} />
            <input type="hidden" name="retour" value={props.retour} />
            <button type="submit" class="button">{`S'identifier avec ${props.oidcLabel}`}</button>
          </form>
        </section>
      )}
      <section aria-labelledby="titre-mdp" class="card">
        <h2 id="titre-mdp">Avec une adresse électronique et un mot de passe</h2>
        <form method="post" action="/connexion" novalidate>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="retour" value={props.retour} />
          <TextField name="email" label={LABELS.email} type="email" autocomplete="username" value={props.email} errors={props.errors} required />
          <TextField name="motDePasse" label={LABELS.motDePasse} type="password" autocomplete="current-password" errors={props.errors} required />
          <button type="submit" class="button">
            Se connecter
          </button>
        </form>
      </section>
    </div>
  );
}

export const authRoutes: FastifyPluginAsync = async (app) => {
  const oidcLabel = app.ctx.config.oidc?.label;

  app.get<{ Querystring: { retour?: string } }>('/connexion', { config: { policy: 'portail.voir' } }, async (req, reply) => {
    const retour = safeReturnPath(req.query.retour);
    if (req.actor) return reply.redirect(retour);
    return sendPage(req, reply, 'Se connecter', (ctx) => (
      <SignInPage csrf={ctx.csrfToken} retour={retour} errors={{}} oidcLabel={oidcLabel} />
    ));
  });

  app.post(
    '/connexion',
    {
      config: { policy: 'portail.voir', rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const retour = safeReturnPath(body.retour);
      const email = typeof body.email === 'string' ? body.email : '';
      const again = (errors: FieldErrors, status: number) =>
        sendPage(
          req,
          reply,
          'Erreur — Se connecter',
          (ctx) => <SignInPage csrf={ctx.csrfToken} retour={retour} email={email} errors={errors} oidcLabel={oidcLabel} />,
          status,
        );

      const parsed = signInSchema.safeParse(body);
      if (!parsed.success) return again(fieldErrors(parsed.error), 400);
      const result = await signInWithPassword(app.ctx.db, parsed.data.email, parsed.data.motDePasse, req.ip);
      if (!result.ok) {
        const message =
          result.reason === 'attente'
            ? waitMessage(result.seconds)
            : 'Adresse électronique ou mot de passe incorrect.';
        return again({ _: message }, result.reason === 'attente' ? 429 : 401);
      }
      await startSession(req, reply, result.account.id, 'mot-de-passe');
      return reply.redirect(retour);
    },
  );

  app.post('/deconnexion', { config: { policy: 'portail.voir' } }, async (req, reply) => {
    if (req.sessionSecret) await closeSession(app.ctx.db, req.sessionSecret, req.ip);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.flash('Déconnexion effectuée.').redirect('/');
  });
};
