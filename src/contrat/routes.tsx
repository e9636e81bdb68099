import type { FastifyPluginAsync } from 'fastify';

// The contract's pages: the strategy tree, its search, each item with its source, amendments.
export const contratRoutes: FastifyPluginAsync = async () => {};
