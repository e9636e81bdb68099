import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from '../validation.ts';
import { PERMISSIONS, type Action } from '../auth/policy.ts';
import type { AppContext } from '../http/context.ts';

// A module declares an API endpoint once: the same declaration makes the fastify route (with its
// policy action and zod validation) and its entry in the OpenAPI 3.1 document.

export const API_PREFIX = '/api/v1';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export const errorSchema = z.object({
  erreur: z.string().describe("Nature de l'erreur, par exemple « Requête invalide »"),
  message: z.string().describe('Explication en français'),
  details: z
    .array(z.object({ champ: z.string(), message: z.string() }))
    .optional()
    .describe('Une entrée par champ invalide'),
});
export type ApiError = z.infer<typeof errorSchema>;

type AnySchema = z.ZodType;
type Input<Q extends AnySchema, P extends AnySchema, B extends AnySchema> = {
  query: z.output<Q>;
  params: z.output<P>;
  body: z.output<B>;
};

export type EndpointSpec<Q extends AnySchema, P extends AnySchema, B extends AnySchema, R extends AnySchema> = {
  method: HttpMethod;
  /** fastify syntax (`/api/v1/contrats/:slug`); written `{slug}` in the document. */
  path: string;
  /** One line in French, shown in the documentation. */
  summary: string;
  description?: string;
  tag: string;
  policy: Action;
  query?: Q;
  params?: P;
  body?: B;
  response: R;
  status?: 200 | 201;
  /**
   * Returns the response (checked against `response`, extra fields dropped), or the reply when it
   * has already answered (a resource check with `authorize` refused).
   */
  handler: (input: Input<Q, P, B>, req: FastifyRequest, reply: FastifyReply) => Promise<z.input<R> | FastifyReply>;
};

/** What the document needs of an operation; routes defined elsewhere (/healthz) are documented with this alone. */
export type OperationDoc = {
  method: HttpMethod;
  path: string;
  summary: string;
  description?: string;
  tag: string;
  policy: Action;
  query?: AnySchema;
  params?: AnySchema;
  body?: AnySchema;
  response: AnySchema;
  status?: number;
  otherResponses?: Record<string, { description: string; schema?: AnySchema }>;
};

// One registry per app: `app.ctx` is the same object in every plugin of an app, and a new one per app.
const registries = new WeakMap<AppContext, OperationDoc[]>();

export function registeredOperations(app: FastifyInstance): OperationDoc[] {
  let list = registries.get(app.ctx);
  if (!list) {
    list = [];
    registries.set(app.ctx, list);
  }
  return list;
}

export function documentOperation(app: FastifyInstance, doc: OperationDoc): void {
  registeredOperations(app).push(doc);
}

export function isPublic(action: Action): boolean {
  return 'public' in PERMISSIONS[action] && PERMISSIONS[action].public === true;
}

/** The 400 answer for a zod error: one detail per field, in French. */
export function validationError(error: z.ZodError, where: string): ApiError {
  return {
    erreur: 'Requête invalide',
    message: `${where} ne sont pas valides.`,
    details: error.issues.map((i) => ({ champ: i.path.map(String).join('.') || '(ensemble)', message: i.message })),
  };
}

export function defineEndpoint<
  Q extends AnySchema = z.ZodObject<{}>,
  P extends AnySchema = z.ZodObject<{}>,
  B extends AnySchema = z.ZodUnknown,
  R extends AnySchema = AnySchema,
>(app: FastifyInstance, spec: EndpointSpec<Q, P, B, R>): void {
  documentOperation(app, spec);
  const parts: [keyof Input<Q, P, B>, AnySchema | undefined, string][] = [
    ['params', spec.params, 'Les paramètres du chemin'],
    ['query', spec.query, 'Les paramètres de la requête'],
    ['body', spec.body, 'Les données envoyées'],
  ];
  app.route({
    method: spec.method,
    url: spec.path,
    config: { policy: spec.policy },
    handler: async (req, reply) => {
      const input: Record<string, unknown> = {};
      for (const [key, schema, where] of parts) {
        const raw = key === 'body' ? req.body : key === 'query' ? req.query : req.params;
        if (!schema) {
          input[key] = raw;
          continue;
        }
        const parsed = schema.safeParse(raw ?? {});
        if (!parsed.success) return reply.status(400).send(validationError(parsed.error, where));
        input[key] = parsed.data;
      }
      // What a signed-in person sees through the API is theirs alone: no shared cache keeps it.
      if (!isPublic(spec.policy)) reply.header('cache-control', 'no-store');
      const result = await spec.handler(input as Input<Q, P, B>, req, reply);
      if (reply.sent || result === reply) return reply;
      return reply.status(spec.status ?? 200).send(spec.response.parse(result));
    },
  });
}

// --- The document ---------------------------------------------------------------------------

type JsonSchema = Record<string, unknown>;

// zod writes `additionalProperties: false` on answers; a strict client would then break on each
// field added later, which this API means to allow (answers only ever gain fields).
function openObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(openObjects);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k, v]) => !(k === 'additionalProperties' && v === false))
      .map(([k, v]) => [k, openObjects(v)]),
  );
}

function jsonSchema(schema: AnySchema, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return (io === 'output' ? openObjects(rest) : rest) as JsonSchema;
}

function parameters(schema: AnySchema | undefined, where: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input');
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required ?? []) as string[]);
  return Object.entries(properties).map(([name, { description, ...schemaOnly }]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(description ? { description } : {}),
    schema: schemaOnly,
  }));
}

const ERROR_REF = { $ref: '#/components/schemas/Erreur' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_REF } } });

function operation(doc: OperationDoc): JsonSchema {
  const open = isPublic(doc.policy);
  const responses: JsonSchema = {
    [String(doc.status ?? 200)]: { description: 'Réussite', content: { 'application/json': { schema: jsonSchema(doc.response, 'output') } } },
  };
  for (const [status, other] of Object.entries(doc.otherResponses ?? {})) {
    responses[status] = other.schema
      ? { description: other.description, content: { 'application/json': { schema: jsonSchema(other.schema, 'output') } } }
      : { description: other.description };
  }
  if (doc.query || doc.params || doc.body) responses['400'] = errorResponse('Requête invalide : le détail indique chaque champ en erreur');
  if (!open) {
    responses['401'] = errorResponse('Authentification requise : jeton absent, invalide ou révoqué');
    responses['403'] = errorResponse("Accès refusé : le compte n'a pas les droits nécessaires");
  }
  return {
    operationId: `${doc.method.toLowerCase()}${doc.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    // An empty requirement list marks a public operation; the others take the document's default.
    ...(open ? { security: [] } : {}),
    parameters: [...parameters(doc.params, 'path'), ...parameters(doc.query, 'query')],
    ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body, 'input') } } } } : {}),
    responses,
  };
}

const packageVersion = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function openApiDocument(operations: OperationDoc[], publicUrl: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const doc of [...operations].sort((a, b) => a.path.localeCompare(b.path))) {
    const path = doc.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    (paths[path] ??= {})[doc.method.toLowerCase()] = operation(doc);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'API Pilotis',
      version: packageVersion,
      description:
        "API de Pilotis, la plateforme libre de pilotage des contrats de ville. Les réponses et les erreurs sont en JSON ; " +
        "une erreur a la forme { erreur, message, details? }. Authentifiez-vous avec un jeton personnel créé sur la page " +
        "« Mon compte » : en-tête `Authorization: Bearer pil_…`.",
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    servers: [{ url: publicUrl }],
    security: [{ bearer: [] }],
    tags: [...new Set(operations.map((o) => o.tag))].sort().map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: "Jeton d'accès personnel (pil_…), créé et révoqué sur la page « Mon compte ». Il agit avec les droits de son titulaire.",
        },
      },
      schemas: { Erreur: jsonSchema(errorSchema, 'output') },
    },
  };
}
