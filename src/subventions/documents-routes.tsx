import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { can } from '../platform/auth/policy.ts';
import { authorize, sendError } from '../platform/http/guard.tsx';
import { sendPage } from '../platform/http/render.tsx';
import { auditActor, isUuid } from '../platform/http/request.ts';
import { fieldErrors, type FieldErrors } from '../platform/ui/forms.tsx';
import { aujourdhuiParis, peut } from './acces.ts';
import { deposerDocument, documentParId, dossiersDeposesDe, listerDocuments, retirerDocument } from './documents-store.ts';
import { DocumentsPage, TITRE_DOCUMENTS } from './documents-views.tsx';
import { documentSchema } from './structure-form.ts';
import { associationDe, documentsManquants, MAX_OCTETS_DOCUMENT, typeMimeDuContenu } from './structure-model.ts';
import { structureAvecNom } from './structure-store.ts';

// The association's documents: list, upload (multipart, read into memory, checked by content), withdrawal,
// download — for the association itself and for the staff who instruct one of its files.

type FichierRecu = { nom: string; octets: Buffer; tronque: boolean };

/** The name as the person's computer gave it, without any folder or control character. */
function nomPropre(nom: string): string {
  const base = nom.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(-200) || 'document';
}

/** RFC 6266: an ASCII fallback, and the real name in UTF-8 for the browsers that read it. */
function contentDisposition(nom: string): string {
  const ascii = nom.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/[\\"]/g, '') || 'document';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(nom)}`;
}

export const documentsRoutes: FastifyPluginAsync = async (app) => {
  // Only these routes read multipart bodies. The CSRF field comes first in the form, before the file.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_OCTETS_DOCUMENT, files: 1, fields: 10, fieldSize: 1_000 },
    onFile: async (part) => {
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      const fichier: FichierRecu = { nom: part.filename, octets: Buffer.concat(chunks), tronque: part.file.truncated };
      (part as unknown as { value: FichierRecu }).value = fichier;
    },
  });

  const db = () => app.ctx.db;

  /** The person's association (name, fictitious or not), or an answer already sent. */
  async function association(req: FastifyRequest, reply: FastifyReply) {
    const organisationId = associationDe(req.actor, req.contrat.id);
    if (!organisationId) {
      void sendError(req, reply, 404, 'Votre compte n’est rattaché à aucune association.');
      return null;
    }
    if (!authorize(req, reply, 'organisation.gerer', { organisationId })) return null;
    const s = await structureAvecNom(db(), req.contrat.id, organisationId);
    if (!s) {
      void sendError(req, reply, 404, 'Cette association n’a pas encore de profil sur Pilotis.');
      return null;
    }
    return s;
  }

  async function page(req: FastifyRequest, reply: FastifyReply, s: { organisationId: string; nom: string; fictive: string | null }, valeurs: Record<string, string | undefined> = {}, errors: FieldErrors = {}, status = 200) {
    const documents = await listerDocuments(db(), req.contrat.id, s.organisationId);
    const aujourdhui = aujourdhuiParis();
    return sendPage(
      req,
      reply,
      status === 200 ? TITRE_DOCUMENTS : `Erreur — ${TITRE_DOCUMENTS}`,
      (ctx) => (
        <DocumentsPage
          csrf={ctx.csrfToken}
          nom={s.nom}
          fictive={s.fictive !== null}
          aujourdhui={aujourdhui}
          documents={documents}
          manquants={documentsManquants(documents, aujourdhui)}
          valeurs={valeurs}
          errors={errors}
        />
      ),
      status,
    );
  }

  app.get('/structure/documents', { config: { policy: 'organisation.gerer' } }, async (req, reply) => {
    const s = await association(req, reply);
    if (!s) return reply;
    return page(req, reply, s);
  });

  app.post('/structure/documents', { config: { policy: 'organisation.gerer', rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (req, reply) => {
    const s = await association(req, reply);
    if (!s) return reply;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const valeurs = Object.fromEntries(['type', 'valideDu', 'valideJusquAu'].map((k) => [k, typeof body[k] === 'string' ? body[k] : undefined]));
    const parsed = documentSchema.safeParse(valeurs);
    const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
    const f = body.fichier;
    let typeMime: ReturnType<typeof typeMimeDuContenu> = null;
    if (!f || typeof f !== 'object' || !(f as FichierRecu).octets?.length) errors.fichier = 'Choisissez le fichier à déposer.';
    else if ((f as FichierRecu).tronque) errors.fichier = `Le fichier dépasse ${MAX_OCTETS_DOCUMENT / 1024 / 1024} Mo : réduisez-le (numérisation en niveaux de gris, 150 points par pouce) et déposez-le à nouveau.`;
    else {
      typeMime = typeMimeDuContenu((f as FichierRecu).octets);
      if (!typeMime) errors.fichier = 'Ce fichier n’est ni un PDF, ni une image JPEG ou PNG (Pilotis lit son contenu, pas seulement son nom). Enregistrez-le en PDF puis déposez-le.';
    }
    if (!parsed.success || Object.keys(errors).length > 0 || !typeMime) return page(req, reply, s, valeurs, errors, 400);
    const fichier = f as FichierRecu;
    await deposerDocument(db(), auditActor(req), {
      contratId: req.contrat.id,
      organisationId: s.organisationId,
      saisie: parsed.data,
      fichier: { nom: nomPropre(fichier.nom), typeMime, octets: fichier.octets },
      deposePar: req.actor!.displayName,
    });
    return reply.flash(`Pièce « ${nomPropre(fichier.nom)} » déposée.`).redirect('/structure/documents', 303);
  });

  app.post<{ Params: { id: string } }>('/structure/documents/:id/retirer', { config: { policy: 'organisation.gerer' } }, async (req, reply) => {
    const s = await association(req, reply);
    if (!s) return reply;
    const ok = isUuid(req.params.id) && (await retirerDocument(db(), auditActor(req), { contratId: req.contrat.id, organisationId: s.organisationId, id: req.params.id }));
    if (!ok) return sendError(req, reply, 404, 'Cette pièce n’existe pas, n’est pas celle de votre association, ou a déjà été retirée.');
    return reply.flash('Pièce retirée : elle reste visible dans la liste mais n’est plus jointe aux nouvelles demandes.').redirect('/structure/documents', 303);
  });

  /** The association itself, the direction, or an instructor of one of the association's submitted files. */
  async function peutTelecharger(req: FastifyRequest, organisationId: string): Promise<boolean> {
    const contratId = req.contrat.id;
    if (can(req.actor, 'organisation.gerer', { contratId, organisationId }) || can(req.actor, 'dossiers.programmer', { contratId })) return true;
    for (const d of await dossiersDeposesDe(db(), contratId, organisationId)) if (await peut(req, 'dossiers.instruire', d)) return true;
    return false;
  }

  // The route is open to whoever may read some file (dossiers.voir); the document itself is checked below.
  app.get<{ Params: { id: string } }>('/structure/documents/:id', { config: { policy: 'dossiers.voir' } }, async (req, reply) => {
    const doc = isUuid(req.params.id) ? await documentParId(db(), req.contrat.id, req.params.id) : undefined;
    if (!doc) return sendError(req, reply, 404, 'Cette pièce n’existe pas.');
    if (!(await peutTelecharger(req, doc.organisationId))) return sendError(req, reply, 403);
    return reply
      .header('content-type', doc.typeMime)
      .header('content-disposition', contentDisposition(doc.nomFichier))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(doc.contenu);
  });
};
