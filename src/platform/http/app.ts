import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { SESSION_COOKIE } from '../auth/model.ts';
import { oidcFormActionSources } from '../auth/oidc-model.ts';
import { tileImageSources } from '../ui/map-model.ts';
import { resolveSession } from '../auth/store.ts';
import { resolveApiToken } from '../auth/tokens-store.ts';
import { defaultContrat } from '../tenancy/store.ts';
import type { AppContext } from './context.ts';
import { authorizeRoute, isApi, sendError } from './guard.tsx';
import './context.ts';

const FLASH_COOKIE = 'pilotis_flash';
const staticRoot = fileURLToPath(new URL('../ui/static', import.meta.url));

function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/**
 * What the log keeps of a request: never its query string, which may hold a resident's address
 * (/quartiers/adresse?adresse=…) or an OpenID Connect code.
 */
export function logRequest(req: { method: string; url: string; ip?: string }) {
  return { method: req.method, url: req.url.split('?')[0], ...(req.ip ? { ip: req.ip } : {}) };
}

function hops(n: number) {
  return (_address: string, i: number) => i < n;
}

export type AppOptions = AppContext & {
  /** The modules' routes, each a fastify plugin. */
  modules: FastifyPluginAsync[];
  logger?: boolean;
};

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    logger: options.logger === false ? false : { level: config.logLevel, serializers: { req: logRequest } },
    // A hop count trusts that many proxies nearest to the server (as proxy-addr does).
    trustProxy: typeof config.trustProxy === 'number' ? hops(config.trustProxy) : config.trustProxy,
    bodyLimit: 1024 * 1024,
  });
  app.decorate('ctx', { config, database: options.database, db: options.db, scopes: options.scopes, services: options.services });
  app.decorateRequest('actor', null);
  app.decorateRequest('contrat', null as never);
  app.decorateRequest('authMethod', 'anonyme');
  app.decorateRequest('sessionSecret', undefined);
  app.decorateRequest('flash', undefined);

  // Secure by construction: a route that does not name its policy action is a startup error.
  app.addHook('onRoute', (route) => {
    // Files served by @fastify/static are public; only that plugin's routes get the default.
    if (route.url.startsWith('/static/')) {
      route.config = { ...(route.config ?? {}), policy: route.config?.policy ?? 'portail.voir' };
    }
    if (!route.config?.policy) {
      throw new Error(`La route ${route.method} ${route.url} ne déclare pas d'action de la politique d'accès (config.policy).`);
    }
  });

  const secure = config.secureCookies;
  // Without a configured secret (development), a fresh one per start: forms opened before a restart expire.
  await app.register(cookie, { secret: config.cookieSecret ?? randomBytes(32).toString('hex') });
  await app.register(formbody);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // Map tiles, when a tile server is configured (none by default).
        imgSrc: ["'self'", 'data:', ...tileImageSources(config.geo.tileUrl)],
        formAction: ["'self'", ...oidcFormActionSources(config.oidc?.issuer)],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    hsts: secure,
  });
  await app.register(csrf, {
    cookieKey: 'pilotis_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure },
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const fromBody = typeof body?._csrf === 'string' ? body._csrf : undefined;
      return fromBody ?? (req.headers['x-csrf-token'] as string | undefined);
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(fastifyStatic, { root: staticRoot, prefix: '/static/', maxAge: config.env === 'production' ? '1d' : 0 });

  app.decorateReply('flash', function (message: string) {
    this.setCookie(FLASH_COOKIE, message, { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge: 60 });
    return this;
  });

  // The default contract is registered before the server starts and does not change while it runs.
  let contratParDefaut: Awaited<ReturnType<typeof defaultContrat>>;
  app.addHook('onRequest', async (req, reply) => {
    // Static files and the health check need neither a person nor the database.
    if (req.url.startsWith('/static/') || req.url === '/healthz') return;
    contratParDefaut ??= await defaultContrat(options.db);
    if (contratParDefaut) req.contrat = contratParDefaut;

    const token = bearerToken(req);
    if (token !== undefined && isApi(req)) {
      const actor = await resolveApiToken(options.db, token);
      if (!actor) {
        return reply.status(401).send({ erreur: 'Authentification requise', message: 'Jeton invalide ou révoqué.' });
      }
      req.actor = actor;
      req.authMethod = 'token';
      return;
    }
    const secret = req.cookies[SESSION_COOKIE];
    if (secret) {
      req.actor = await resolveSession(options.db, secret, config.session);
      if (req.actor) {
        req.authMethod = 'session';
        req.sessionSecret = secret;
      } else {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    const flash = req.cookies[FLASH_COOKIE];
    if (flash) {
      const unsigned = req.unsignCookie(flash);
      if (unsigned.valid) req.flash = unsigned.value ?? undefined;
      reply.clearCookie(FLASH_COOKIE, { path: '/' });
    }
  });

  // CSRF on every state-changing request made with cookies. Token-authenticated API calls carry
  // no cookie a third-party site could ride on, so they need none.
  app.addHook('preHandler', (req, reply, done) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method) || req.authMethod === 'token') return done();
    app.csrfProtection(req, reply, done);
  });

  // The route's declared action, asked before its handler. The route knows no object yet, so it asks
  // whether the actor could ever be granted it here; the handler then asks about the object itself.
  app.addHook('preHandler', async (req, reply) => {
    const action = req.routeOptions.config.policy;
    if (action && !authorizeRoute(req, reply, action)) return reply;
  });

  app.setNotFoundHandler((req, reply) => sendError(req, reply, 404));
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (error.code?.startsWith('FST_CSRF')) {
      return sendError(req, reply, 403, 'Le formulaire a expiré ou ne vient pas de Pilotis. Rechargez la page et recommencez.');
    }
    if (error.statusCode === 429) {
      return sendError(req, reply, 429);
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(req, reply, 400);
    }
    req.log.error(error);
    return sendError(req, reply, 500);
  });

  app.get('/healthz', { config: { policy: 'portail.voir' } }, async (_req, reply) => {
    const ok = await options.db
      .execute('select 1')
      .then(() => true)
      .catch(() => false);
    return reply.status(ok ? 200 : 503).send({ statut: ok ? 'ok' : 'indisponible', base: options.database.kind });
  });

  for (const module of options.modules) await app.register(module);
  return app;
}
