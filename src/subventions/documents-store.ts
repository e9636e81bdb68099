import { createHash } from 'node:crypto';
import { and, asc, desc, eq, getTableColumns, isNull, ne } from 'drizzle-orm';
import type { Db, DbOrTx } from '../platform/db/connect.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { recordAudit } from '../platform/audit/store.ts';
import { documentStructure, dossier } from './schema.ts';
import type { DocumentSaisi } from './structure-form.ts';

// An association's documents: kept in the database with their validity, reused by every request made
// while they are valid. A withdrawn document stays (a file instructed with it still points at it).

export type DocumentRow = typeof documentStructure.$inferSelect;
/** A document without its bytes, for lists. */
export type DocumentResume = Omit<DocumentRow, 'contenu'>;

const { contenu: _contenu, ...sansContenu } = getTableColumns(documentStructure);

/** Every document of the association, newest first within each type, without their bytes. */
export async function listerDocuments(db: DbOrTx, contratId: string, organisationId: string): Promise<DocumentResume[]> {
  return db
    .select(sansContenu)
    .from(documentStructure)
    .where(and(eq(documentStructure.contratId, contratId), eq(documentStructure.organisationId, organisationId)))
    .orderBy(asc(documentStructure.type), desc(documentStructure.deposeLe));
}

/** One document with its bytes, if it belongs to this contract. */
export async function documentParId(db: DbOrTx, contratId: string, id: string): Promise<DocumentRow | undefined> {
  const [row] = await db
    .select()
    .from(documentStructure)
    .where(and(eq(documentStructure.contratId, contratId), eq(documentStructure.id, id)));
  return row;
}

export type Fichier = { nom: string; typeMime: string; octets: Buffer };

export async function deposerDocument(
  db: Db,
  by: AuditActor,
  x: { contratId: string; organisationId: string; saisie: DocumentSaisi; fichier: Fichier; deposePar: string },
): Promise<DocumentResume> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(documentStructure)
      .values({
        contratId: x.contratId,
        organisationId: x.organisationId,
        type: x.saisie.type,
        nomFichier: x.fichier.nom,
        typeMime: x.fichier.typeMime,
        taille: x.fichier.octets.length,
        sha256: createHash('sha256').update(x.fichier.octets).digest('hex'),
        contenu: x.fichier.octets,
        valideDu: x.saisie.valideDu,
        valideJusquAu: x.saisie.valideJusquAu,
        deposePar: x.deposePar,
      })
      .returning(sansContenu);
    // The log keeps what identifies the file (its digest), never its content.
    await recordAudit(tx, by, { action: 'depot-document', objectType: 'document_structure', objectId: row!.id, objectLabel: row!.nomFichier, contratId: x.contratId, after: row });
    return row!;
  });
}

/** Marks a document withdrawn; false when it is not this association's or already withdrawn. */
export async function retirerDocument(db: Db, by: AuditActor, x: { contratId: string; organisationId: string; id: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(documentStructure)
      .set({ retireLe: new Date() })
      .where(
        and(
          eq(documentStructure.contratId, x.contratId),
          eq(documentStructure.organisationId, x.organisationId),
          eq(documentStructure.id, x.id),
          isNull(documentStructure.retireLe),
        ),
      )
      .returning(sansContenu);
    if (!row) return false;
    await recordAudit(tx, by, {
      action: 'retrait-document',
      objectType: 'document_structure',
      objectId: row.id,
      objectLabel: row.nomFichier,
      contratId: x.contratId,
      before: { retireLe: null },
      after: { retireLe: row.retireLe },
    });
    return true;
  });
}

/** The association's submitted files (drafts are its own business), as the access rules need them. */
export async function dossiersDeposesDe(db: DbOrTx, contratId: string, organisationId: string): Promise<{ organisationId: string; territoireIds: string[] }[]> {
  return db
    .select({ organisationId: dossier.organisationId, territoireIds: dossier.territoireIds })
    .from(dossier)
    .where(and(eq(dossier.contratId, contratId), eq(dossier.organisationId, organisationId), ne(dossier.statut, 'brouillon')));
}
