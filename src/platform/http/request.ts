import type { FastifyRequest } from 'fastify';
import { z } from '../validation.ts';
import type { AuditActor } from '../audit/model.ts';

/** The audit actor of a request: who, under which address, from where. */
export function auditActor(req: FastifyRequest): AuditActor {
  return { id: req.actor?.id ?? null, label: req.actor?.email ?? 'anonyme', ip: req.ip };
}

const uuid = z.guid();
/** Ids in URLs are uuids; anything else is a page that does not exist, not a database error. */
export function isUuid(value: unknown): value is string {
  return uuid.safeParse(value).success;
}

/** A form body as plain fields (fastify's formbody gives an object; anything else counts as empty). */
export function formBody(req: FastifyRequest): Record<string, unknown> {
  return req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
}

/** The typed value of a field, to put back in the form re-rendered with its errors. */
export function typed(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  return typeof v === 'string' ? v : undefined;
}
