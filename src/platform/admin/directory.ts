import type { FastifyRequest } from 'fastify';
import type { Directory } from './model.ts';

/** The territories and organisations of the request's contract, as the modules that own them list them. */
export async function loadDirectory(req: FastifyRequest): Promise<Directory> {
  const { db, scopes } = req.server.ctx;
  return { territoire: await scopes.territoire(db, req.contrat.id), organisation: await scopes.organisation(db, req.contrat.id) };
}
