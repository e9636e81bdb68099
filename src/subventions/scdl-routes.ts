import type { FastifyPluginAsync } from 'fastify';

// Placeholder registered in src/server.ts; its owner fills it in.
export const scdlRoutes: FastifyPluginAsync = async () => {};
