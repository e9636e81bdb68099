import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

// Leaflet's browser files, served by Pilotis itself: no CDN, so the CSP stays 'self' and the maps
// work on a network without internet access.

export const LEAFLET_PREFIX = '/static/vendor/leaflet/';
const leafletDist = join(dirname(createRequire(import.meta.url).resolve('leaflet/package.json')), 'dist');
const SERVED = new Set(['/leaflet.js', '/leaflet.css']);

export const leafletAssets: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, {
    root: leafletDist,
    prefix: LEAFLET_PREFIX,
    // The app's own static plugin already decorates the reply.
    decorateReply: false,
    // The runtime files only, not the sources and source maps beside them.
    allowedPath: (path) => SERVED.has(path) || /^\/images\/[\w-]+\.png$/.test(path),
    maxAge: app.ctx.config.env === 'production' ? '7d' : 0,
  });
};
