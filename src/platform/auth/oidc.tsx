import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import { z } from '../validation.ts';
import { sendPage } from '../http/render.tsx';
import {
  encodePending,
  identityFromClaims,
  identityName,
  OIDC_CALLBACK_PATH,
  OIDC_COOKIE,
  OIDC_COOKIE_PATH,
  OIDC_PENDING_SECONDS,
  providerErrorProblem,
  readPending,
  redirectUri,
  type OidcProblem,
} from './oidc-model.ts';
import { startSession } from './routes.tsx';
import { safeReturnPath } from './model.ts';
import { accountForOidcIdentity } from './store.ts';

// Sign-in with an OpenID Connect provider (ProConnect): authorization code flow with PKCE, state and nonce.
// The routes exist only when a provider is configured.

const startSchema = z.object({ retour: z.string().optional() });
const callbackSchema = z.object({
  code: z.string().optional(),
  state: z.string().optional(),
  error: z.string().optional(),
});

/** The connection failed before an answer came back (refused, reset, DNS, timeout). */
function unreachable(err: unknown): boolean {
  if (err instanceof client.ClientError && (err.code === 'OAUTH_TIMEOUT' || err.code === 'OAUTH_ABORT')) return true;
  // fetch() rejects with a bare TypeError; openid-client's own argument errors carry a code.
  return err instanceof TypeError && !('code' in err);
}

function ProblemPage(props: { problem: OidcProblem; details?: string | undefined }) {
  return (
    <div class="narrow">
      <h1>{props.problem.title}</h1>
      <p>{props.problem.message}</p>
      {props.details && <p>{props.details}</p>}
      <p>
        <a href="/connexion">Revenir à la page de connexion</a>
      </p>
    </div>
  );
}

function sendProblem(req: FastifyRequest, reply: FastifyReply, problem: OidcProblem, details?: string): FastifyReply {
  return sendPage(req, reply, problem.title, <ProblemPage problem={problem} details={details} />, problem.status);
}

export const oidcRoutes: FastifyPluginAsync = async (app) => {
  const oidc = app.ctx.config.oidc;
  if (!oidc) return;
  const { publicUrl } = app.ctx.config;
  const secure = app.ctx.config.secureCookies;
  const label = oidc.label;

  const unavailable: OidcProblem = {
    status: 503,
    title: 'Service de connexion indisponible',
    message: `${label} ne répond pas pour le moment : la connexion par ce service est impossible. Réessayez dans quelques minutes, ou connectez-vous avec votre adresse électronique et votre mot de passe.`,
  };
  const unverifiable: OidcProblem = {
    status: 502,
    title: 'Connexion impossible',
    message: `La réponse de ${label} n'a pas pu être vérifiée : la connexion n'a pas eu lieu. Recommencez ; si le problème persiste, signalez-le à l'équipe qui administre Pilotis.`,
  };

  // Discovered once, on first use; a failure is not kept, so the next attempt asks again.
  let discovered: Promise<client.Configuration> | undefined;
  function configuration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(
        new URL(oidc!.issuer),
        oidc!.clientId,
        undefined,
        oidc!.clientSecret ? client.ClientSecretPost(oidc!.clientSecret) : client.None(),
        { timeout: 10, ...(oidc!.allowInsecure && { execute: [client.allowInsecureRequests] }) },
      )
      .catch((err: unknown) => {
        discovered = undefined;
        throw err;
      });
    return discovered;
  }

  app.post('/connexion/oidc', { config: { policy: 'portail.voir', rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (req, reply) => {
    const parsed = startSchema.safeParse(req.body ?? {});
    const retour = safeReturnPath(parsed.success ? parsed.data.retour : undefined);
    let config: client.Configuration;
    try {
      config = await configuration();
    } catch (err) {
      req.log.warn({ err }, 'OIDC : découverte du fournisseur impossible');
      return sendProblem(req, reply, unavailable);
    }
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri(publicUrl),
      scope: oidc.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    reply.setCookie(OIDC_COOKIE, encodePending({ verifier, state, nonce, retour, at: Date.now() }), {
      signed: true,
      httpOnly: true,
      // Lax, not strict: the provider's redirect back is a cross-site navigation that must carry it.
      sameSite: 'lax',
      secure,
      path: OIDC_COOKIE_PATH,
      maxAge: OIDC_PENDING_SECONDS,
    });
    return reply.redirect(url.href, 302);
  });

  app.get(OIDC_CALLBACK_PATH, { config: { policy: 'portail.voir', rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (req, reply) => {
    // The proofs are for one answer only.
    const raw = req.cookies[OIDC_COOKIE];
    reply.clearCookie(OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
    const unsigned = raw ? req.unsignCookie(raw) : undefined;
    const pending = readPending(unsigned?.valid ? unsigned.value : undefined, new Date());
    if (typeof pending === 'string') {
      return sendProblem(req, reply, {
        status: 400,
        title: 'Demande de connexion expirée',
        message: `Cette demande de connexion a expiré, a déjà servi ou n'a pas été faite depuis ce navigateur. Recommencez depuis la page de connexion : le passage par ${label} doit durer moins de ${OIDC_PENDING_SECONDS / 60} minutes.`,
      });
    }
    const query = callbackSchema.safeParse(req.query);
    if (!query.success || query.data.state !== pending.state) {
      req.log.warn('OIDC : paramètre state absent ou différent');
      return sendProblem(req, reply, {
        status: 400,
        title: 'Connexion refusée',
        message: `La réponse reçue ne correspond pas à la demande de connexion faite depuis ce navigateur : par sécurité, elle est refusée. Recommencez depuis la page de connexion.`,
      });
    }
    if (query.data.error) return sendProblem(req, reply, providerErrorProblem(query.data.error, label));

    let config: client.Configuration;
    let claims: Record<string, unknown>;
    try {
      config = await configuration();
    } catch (err) {
      req.log.warn({ err }, 'OIDC : découverte du fournisseur impossible');
      return sendProblem(req, reply, unavailable);
    }
    try {
      // The URL registered at the provider, not the Host header: it is part of what the provider checks.
      const current = new URL(redirectUri(publicUrl));
      current.search = new URL(req.url, 'http://x').search;
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new Error('réponse sans jeton d’identité');
      claims = { ...idToken };
      // ProConnect keeps the ID token short and gives the address and names at the userinfo endpoint.
      if (typeof claims.email !== 'string' && tokens.access_token && config.serverMetadata().userinfo_endpoint) {
        claims = { ...(await client.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...idToken };
      }
    } catch (err) {
      req.log.warn({ err }, 'OIDC : échange du code ou vérification du jeton impossible');
      return sendProblem(req, reply, unreachable(err) ? unavailable : unverifiable);
    }

    const identity = identityFromClaims(claims);
    if (!identity) return sendProblem(req, reply, unverifiable);
    const issuer = config.serverMetadata().issuer;
    const result = await accountForOidcIdentity(app.ctx.db, { issuer, subject: identity.subject, email: identity.email }, req.ip);
    if (!result.ok) {
      const who = [identityName(identity), identity.email && `(${identity.email})`].filter(Boolean).join(' ');
      return sendProblem(
        req,
        reply,
        result.reason === 'inactif'
          ? {
              status: 403,
              title: 'Compte désactivé',
              message: `${label} a bien reconnu votre identité${who ? ` : ${who}` : ''}, mais votre compte Pilotis est désactivé. Un administrateur ou une administratrice de Pilotis peut le réactiver.`,
            }
          : {
              status: 403,
              title: 'Aucun compte Pilotis',
              message: `${label} a bien reconnu votre identité${who ? ` : ${who}` : ''}, mais aucun compte Pilotis ne correspond à ${identity.email ? 'cette adresse électronique' : 'cette identité'}.`,
            },
        result.reason === 'inactif'
          ? undefined
          : "Les comptes ne sont pas créés automatiquement : un administrateur ou une administratrice de Pilotis doit d'abord créer le vôtre, avec l'adresse électronique que vous utilisez chez ce service. Vous pourrez ensuite vous connecter.",
      );
    }
    await startSession(req, reply, result.account.id, 'oidc');
    return reply.redirect(pending.retour, 302);
  });
};
