import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, mayEver, type Action, type Resource } from '../auth/policy.ts';
import { sendPage } from './render.tsx';

export function isApi(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/');
}

export function sendError(req: FastifyRequest, reply: FastifyReply, status: 400 | 401 | 403 | 404 | 409 | 429 | 500, message?: string): FastifyReply {
  const texts = {
    400: ['Requête invalide', message ?? 'La requête ne peut pas être traitée.'],
    401: ['Authentification requise', message ?? 'Connectez-vous pour accéder à cette ressource.'],
    403: ['Accès refusé', message ?? "Vous n'avez pas les droits nécessaires pour accéder à cette page."],
    404: ['Page introuvable', message ?? "La page demandée n'existe pas ou n'est pas accessible."],
    409: ['Action impossible dans cet état', message ?? "L'objet a changé d'état : rechargez la page."],
    429: ['Trop de requêtes', message ?? 'Patientez un instant avant de réessayer.'],
    500: ['Erreur du serveur', message ?? "Une erreur inattendue s'est produite. Réessayez dans quelques instants."],
  } as const;
  const [title, text] = texts[status];
  if (isApi(req)) return reply.status(status).send({ erreur: title, message: text });
  return sendPage(
    req,
    reply,
    title,
    <>
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <a href="/">Revenir à l'accueil</a>
      </p>
    </>,
    status,
  );
}

/**
 * Asks the policy. On refusal, answers for the caller: an anonymous visitor is sent to sign in,
 * a signed-in one gets 403 — or 404 with `hide: true` where even existence must stay hidden.
 * Returns true when the handler may go on.
 */
export function authorize(
  req: FastifyRequest,
  reply: FastifyReply,
  action: Action,
  resource: Resource = {},
  options: { hide?: boolean } = {},
): boolean {
  if (can(req.actor, action, { contratId: req.contrat?.id, ...resource })) return true;
  refuse(req, reply, options);
  return false;
}

/** The check a route makes before its handler, when the object is not known yet (see mayEver). */
export function authorizeRoute(req: FastifyRequest, reply: FastifyReply, action: Action): boolean {
  if (mayEver(req.actor, action, req.contrat?.id)) return true;
  refuse(req, reply, {});
  return false;
}

function refuse(req: FastifyRequest, reply: FastifyReply, options: { hide?: boolean }): void {
  if (!req.actor) {
    if (isApi(req)) {
      void sendError(req, reply, 401);
    } else {
      void reply.redirect(`/connexion?retour=${encodeURIComponent(req.url)}`);
    }
    return;
  }
  void sendError(req, reply, options.hide ? 404 : 403);
}
