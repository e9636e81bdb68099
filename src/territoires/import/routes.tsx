import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import multipart, { type MultipartFile } from '@fastify/multipart';
import { z } from '../../platform/validation.ts';
import { sendPage } from '../../platform/http/render.tsx';
import { authorizeRoute, sendError } from '../../platform/http/guard.tsx';
import { auditActor, formBody, isUuid } from '../../platform/http/request.ts';
import { fieldErrors, type FieldErrors } from '../../platform/ui/forms.tsx';
import { IMPORT_KINDS } from './model.ts';
import { jobProgress } from './progress.ts';
import { startImport } from './run.ts';
import { findRun, listRuns } from './store.ts';
import { ImportsPage, MAX_UPLOAD_MB, ProgressPage, ResultPage } from './views.tsx';

// /admin/imports: an administrator sends an official file; it is streamed to a temporary file (hashed
// on the way), imported in the background, and the page of the run shows its progress, then its outcome.
// The temporary file is deleted once the run has ended, or at once when the form is refused.

type Upload = { path: string; filename: string; size: number; sha256: string; truncated: boolean };

/** Uploads of a request not handed to an import yet: deleted when the response is sent. */
const pending = new WeakMap<FastifyRequest, string[]>();

function safeName(name: string): string {
  const base = basename(name.replaceAll('\\', '/')).replace(/[\u0000-\u001f]/g, '').trim();
  return (base || 'fichier').slice(0, 200);
}

async function receiveFile(this: FastifyRequest, part: MultipartFile): Promise<void> {
  const path = join(tmpdir(), `pilotis-import-${randomUUID()}`);
  pending.set(this, [...(pending.get(this) ?? []), path]);
  const hash = createHash('sha256');
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(part.file, counter, createWriteStream(path));
  const upload: Upload = { path, filename: safeName(part.filename), size, sha256: hash.digest('hex'), truncated: part.file.truncated };
  (part as MultipartFile & { value: Upload }).value = upload;
}

const formSchema = z.object({
  type: z.enum(IMPORT_KINDS, { error: 'Choisissez le type de fichier.' }),
});

function isUpload(v: unknown): v is Upload {
  return typeof v === 'object' && v !== null && 'path' in v && 'sha256' in v;
}

async function sendForm(req: FastifyRequest, reply: FastifyReply, values: { type?: string | undefined }, errors: FieldErrors, status = 200) {
  const runs = await listRuns(req.server.ctx.db, req.contrat.id);
  return sendPage(req, reply, status === 200 ? 'Imports de données ouvertes' : 'Erreur — Imports de données ouvertes', (ctx) => <ImportsPage csrf={ctx.csrfToken} values={values} errors={errors} runs={runs} />, status);
}

export const importRoutes: FastifyPluginAsync = async (app) => {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    onFile: receiveFile,
    // A file over the limit is cut and flagged, so that the form says so instead of a bare error page.
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_UPLOAD_MB * 1024 * 1024, files: 1, fields: 5, fieldSize: 10_000 },
  });
  // Before the answer leaves (a refused form, a CSRF failure), and again after it for a request cut short.
  const discard = async (req: FastifyRequest) => {
    const paths = pending.get(req) ?? [];
    pending.delete(req);
    for (const path of paths) await rm(path, { force: true });
  };
  app.addHook('onSend', async (req) => discard(req));
  app.addHook('onResponse', discard);

  const { db } = app.ctx;

  app.get('/admin/imports', { config: { policy: 'admin.imports' } }, async (req, reply) => sendForm(req, reply, {}, {}));

  app.post(
    '/admin/imports',
    {
      config: { policy: 'admin.imports' },
      // Refused before the body is read: no one without the right gets 50 MB written to the disk.
      onRequest: async (req, reply) => {
        if (!authorizeRoute(req, reply, 'admin.imports')) return reply;
      },
    },
    async (req, reply) => {
      const body = formBody(req);
      const type = typeof body.type === 'string' ? body.type : undefined;
      const parsed = formSchema.safeParse({ type });
      const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
      const upload = isUpload(body.fichier) ? body.fichier : undefined;
      if (!upload || upload.size === 0) errors.fichier = 'Choisissez un fichier à importer (il ne doit pas être vide).';
      else if (upload.truncated) errors.fichier = `Le fichier dépasse ${MAX_UPLOAD_MB} Mo : importez-le avec la commande « pilotis import ».`;
      if (!parsed.success || Object.keys(errors).length || !upload) {
        if (upload && !errors.fichier) errors.fichier = 'Choisissez à nouveau le fichier : un navigateur ne le garde pas quand le formulaire est renvoyé.';
        return sendForm(req, reply, { type }, errors, 400);
      }
      pending.delete(req);
      const { id, done } = await startImport({
        db,
        contratId: req.contrat.id,
        kind: parsed.data.type,
        path: upload.path,
        fichier: upload.filename,
        sha256: upload.sha256,
        removeAfter: true,
        by: auditActor(req),
      });
      // The outcome is recorded by the run itself (import_geo); nothing waits for it here.
      void done;
      return reply.redirect(`/admin/imports/${id}`, 303);
    },
  );

  app.get<{ Params: { id: string } }>('/admin/imports/:id', { config: { policy: 'admin.imports' } }, async (req, reply) => {
    const run = isUuid(req.params.id) ? await findRun(db, req.contrat.id, req.params.id) : undefined;
    if (!run) return sendError(req, reply, 404, "Cet import n'existe pas.");
    if (run.statut === 'en_cours') {
      return sendPage(req, reply, `Import en cours — ${run.fichier}`, <ProgressPage run={run} job={jobProgress(run.id)} />);
    }
    return sendPage(req, reply, `${run.statut === 'termine' ? 'Import terminé' : "Échec de l'import"} — ${run.fichier}`, <ResultPage run={run} />);
  });
};
