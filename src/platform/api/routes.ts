import type { FastifyPluginAsync } from 'fastify';
import { z } from '../validation.ts';
import { ROLES } from '../auth/policy.ts';
import { describeAssignments } from '../auth/scope-labels.ts';
import { authorize } from '../http/guard.tsx';
import { listContrats } from '../tenancy/store.ts';
import { API_PREFIX, defineEndpoint, documentOperation, openApiDocument, registeredOperations } from './openapi.ts';

const moiSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  roles: z.array(
    z.object({
      role: z.enum(ROLES),
      libelle: z.string().describe('Nom du rôle en français'),
      contratId: z.uuid(),
      portee: z
        .object({ type: z.enum(['territoire', 'organisation']), id: z.uuid(), libelle: z.string() })
        .nullable()
        .describe('Territoire ou organisation auquel le rôle est limité ; null pour tout le contrat'),
    }),
  ),
});

const contratSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  nom: z.string(),
  debut: z.iso.date(),
  fin: z.iso.date(),
  parDefaut: z.boolean().describe('Contrat ouvert par défaut sur cette instance'),
});

const healthSchema = z.object({
  statut: z.enum(['ok', 'indisponible']),
  base: z.enum(['pglite', 'postgres']),
});

export const apiRoutes: FastifyPluginAsync = async (app) => {
  app.get(`${API_PREFIX}/openapi.json`, { config: { policy: 'portail.voir' } }, async (_req, reply) =>
    reply.send(openApiDocument(registeredOperations(app), app.ctx.config.publicUrl)),
  );

  // Defined in app.ts, documented here so that monitoring tools find it in the same document.
  documentOperation(app, {
    method: 'GET',
    path: '/healthz',
    summary: "État du service : l'application répond et la base de données est joignable",
    tag: 'Système',
    policy: 'portail.voir',
    response: healthSchema,
    otherResponses: { '503': { description: 'La base de données ne répond pas', schema: healthSchema } },
  });

  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/moi`,
    summary: 'Le compte qui appelle : identité et rôles, avec leur portée',
    tag: 'Compte',
    policy: 'compte.gerer',
    response: moiSchema,
    handler: async (_input, req, reply) => {
      if (!authorize(req, reply, 'compte.gerer', { ownerId: req.actor?.id })) return reply;
      const actor = req.actor!;
      return {
        id: actor.id,
        email: actor.email,
        displayName: actor.displayName,
        roles: await describeAssignments(app.ctx.db, app.ctx.scopes, actor.assignments),
      };
    },
  });

  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/contrats`,
    summary: 'Les contrats de ville de cette instance, le contrat par défaut en premier',
    tag: 'Contrats',
    policy: 'portail.voir',
    response: z.object({ contrats: z.array(contratSchema) }),
    handler: async () => ({ contrats: await listContrats(app.ctx.db) }),
  });
};
