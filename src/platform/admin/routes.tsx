import type { FastifyPluginAsync } from 'fastify';
import { adminAccountRoutes } from './accounts-routes.tsx';
import { auditRoutes } from './audit-routes.tsx';

// Administration of the current contract: accounts and their roles, and the audit journal.
// Anonymous visitors are sent to sign in and other accounts get 403, by the routes' policies.

export const adminRoutes: FastifyPluginAsync = async (app) => {
  app.get('/admin', { config: { policy: 'admin.voir' } }, async (_req, reply) => reply.redirect('/admin/comptes'));
  adminAccountRoutes(app);
  auditRoutes(app);
};
