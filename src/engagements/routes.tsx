import type { FastifyPluginAsync } from 'fastify';

// Commitments, the yearly monitoring campaign and its bilan.
export const engagementsRoutes: FastifyPluginAsync = async () => {};
