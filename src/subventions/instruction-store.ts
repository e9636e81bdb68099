import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Db, DbOrTx } from '../platform/db/connect.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { recordAudit } from '../platform/audit/store.ts';
import { organisation } from '../contrat/schema.ts';
import { annotationDossier, avisFinanceur, documentStructure, dossier, financement, messageDossier, structure } from './schema.ts';
import { franchirEtape, type DossierRow, type FinancementRow } from './store.ts';
import { documentValide } from './structure-model.ts';
import type { EtapeDossier, RoleDossier } from './model.ts';
import type { Avis } from './instruction-model.ts';

// The instruction of a file: opinions per funder, private annotations, the conversation with the
// association, steps that carry a message. Every write is audited in its own transaction.

export type AvisRow = typeof avisFinanceur.$inferSelect;
export type AnnotationRow = typeof annotationDossier.$inferSelect;
export type MessageRow = typeof messageDossier.$inferSelect;
export type Cote = 'association' | 'instruction';

type DossierCible = { id: string; contratId: string; titre: string };

export const avisDe = (db: DbOrTx, dossierId: string): Promise<AvisRow[]> =>
  db.select().from(avisFinanceur).where(eq(avisFinanceur.dossierId, dossierId)).orderBy(asc(avisFinanceur.le));
export const annotationsDe = (db: DbOrTx, dossierId: string): Promise<AnnotationRow[]> =>
  db.select().from(annotationDossier).where(eq(annotationDossier.dossierId, dossierId)).orderBy(asc(annotationDossier.le));
export const messagesDe = (db: DbOrTx, dossierId: string): Promise<MessageRow[]> =>
  db.select().from(messageDossier).where(eq(messageDossier.dossierId, dossierId)).orderBy(asc(messageDossier.le));

export type Piece = { id: string; type: string; nomFichier: string; valideDu: string | null; valideJusquAu: string | null };

/**
 * The association's documents valid on the day the file was submitted (today for a draft). A document
 * withdrawn since then was still part of the file when it was submitted, so it stays listed.
 */
export async function piecesDe(db: DbOrTx, organisationId: string, jour: string, depose: Date | null): Promise<Piece[]> {
  const docs = await db
    .select({
      id: documentStructure.id,
      type: documentStructure.type,
      nomFichier: documentStructure.nomFichier,
      valideDu: documentStructure.valideDu,
      valideJusquAu: documentStructure.valideJusquAu,
      retireLe: documentStructure.retireLe,
      deposeLe: documentStructure.deposeLe,
    })
    .from(documentStructure)
    .where(eq(documentStructure.organisationId, organisationId))
    .orderBy(asc(documentStructure.type), asc(documentStructure.deposeLe));
  const instant = depose ?? new Date();
  return docs
    .filter((d) => d.deposeLe <= instant && (!d.retireLe || d.retireLe > instant) && documentValide({ ...d, retireLe: null }, jour))
    .map(({ id, type, nomFichier, valideDu, valideJusquAu }) => ({ id, type, nomFichier, valideDu, valideJusquAu }));
}

export type DossierAInstruire = Pick<DossierRow, 'id' | 'numero' | 'titre' | 'statut' | 'organisationId' | 'territoireIds'> & {
  association: string;
  fictive: boolean;
  financements: FinancementRow[];
};

/** A campaign's submitted files (drafts are the associations' own), with what the instructors' list shows. */
export async function dossiersAInstruire(db: DbOrTx, campagneId: string): Promise<DossierAInstruire[]> {
  const rows = await db
    .select({
      id: dossier.id,
      numero: dossier.numero,
      titre: dossier.titre,
      statut: dossier.statut,
      organisationId: dossier.organisationId,
      territoireIds: dossier.territoireIds,
      association: organisation.nom,
      fictive: structure.fictive,
    })
    .from(dossier)
    .innerJoin(organisation, eq(organisation.id, dossier.organisationId))
    .leftJoin(structure, eq(structure.organisationId, dossier.organisationId))
    .where(and(eq(dossier.campagneId, campagneId), ne(dossier.statut, 'brouillon')))
    .orderBy(asc(dossier.numero));
  const lignes = rows.length ? await db.select().from(financement).where(inArray(financement.dossierId, rows.map((r) => r.id))).orderBy(asc(financement.ordre)) : [];
  return rows.map((r) => ({ ...r, fictive: r.fictive !== null, financements: lignes.filter((f) => f.dossierId === r.id) }));
}

export async function avisDesDossiers(db: DbOrTx, dossierIds: string[]): Promise<AvisRow[]> {
  if (!dossierIds.length) return [];
  return db.select().from(avisFinanceur).where(inArray(avisFinanceur.dossierId, dossierIds)).orderBy(asc(avisFinanceur.le));
}

/** An instructor's opinion for one funder; the amount proposed also becomes that funding line's proposed amount. */
export async function donnerAvis(
  db: Db,
  by: AuditActor,
  d: DossierCible,
  saisie: { financeurId: string; avis: Avis; proposeCentimes: number | null; commentaire: string },
): Promise<AvisRow> {
  return db.transaction(async (tx) => {
    const [avant] = await tx.select().from(financement).where(and(eq(financement.dossierId, d.id), eq(financement.financeurId, saisie.financeurId)));
    const [avis] = await tx
      .insert(avisFinanceur)
      .values({ contratId: d.contratId, dossierId: d.id, ...saisie, auteurId: by.id, auteur: by.label })
      .returning();
    await tx
      .update(financement)
      .set({ proposeCentimes: saisie.proposeCentimes })
      .where(and(eq(financement.dossierId, d.id), eq(financement.financeurId, saisie.financeurId)));
    await recordAudit(tx, by, {
      action: 'dossier-avis',
      objectType: 'dossier',
      objectId: d.id,
      objectLabel: d.titre,
      contratId: d.contratId,
      before: { financeurId: saisie.financeurId, proposeCentimes: avant?.proposeCentimes ?? null },
      after: saisie,
    });
    return avis!;
  });
}

export async function annoter(db: Db, by: AuditActor, d: DossierCible, texte: string): Promise<AnnotationRow> {
  return db.transaction(async (tx) => {
    const [a] = await tx.insert(annotationDossier).values({ contratId: d.contratId, dossierId: d.id, texte, auteurId: by.id, auteur: by.label }).returning();
    await recordAudit(tx, by, { action: 'dossier-annotation', objectType: 'dossier', objectId: d.id, objectLabel: d.titre, contratId: d.contratId, after: { texte } });
    return a!;
  });
}

async function insererMessage(tx: DbOrTx, by: AuditActor, d: DossierCible, cote: Cote, texte: string): Promise<MessageRow> {
  const [m] = await tx.insert(messageDossier).values({ contratId: d.contratId, dossierId: d.id, cote, texte, auteurId: by.id, auteur: by.label }).returning();
  await recordAudit(tx, by, { action: 'dossier-message', objectType: 'dossier', objectId: d.id, objectLabel: d.titre, contratId: d.contratId, after: { cote, texte } });
  return m!;
}

export async function ecrireMessage(db: Db, by: AuditActor, d: DossierCible, cote: Cote, texte: string): Promise<MessageRow> {
  return db.transaction((tx) => insererMessage(tx, by, d, cote, texte));
}

/** The steps whose text is also a message of the conversation: the request for a correction, and its answer. */
const MESSAGE_DE: Partial<Record<EtapeDossier, Cote>> = { demander_complement: 'instruction', completer: 'association' };

/**
 * Takes a step (franchirEtape: dated, audited, version-checked); a request for a correction and its
 * answer are also posted in the conversation, in the same transaction. A refusal dates the decision
 * and keeps its motif.
 */
export async function franchirEtapeInstruction(
  db: Db,
  by: AuditActor,
  d: Pick<DossierRow, 'id' | 'contratId' | 'statut' | 'version' | 'titre'>,
  etape: EtapeDossier,
  role: RoleDossier,
  commentaire: string | null,
): Promise<DossierRow> {
  const extra = etape === 'refuser' ? { decideLe: new Date(), decisionMotif: commentaire } : etape === 'accepter' ? { decideLe: new Date() } : {};
  return db.transaction(async (tx) => {
    // A savepoint inside this transaction: the step and its message commit together or not at all.
    const apres = await franchirEtape(tx, by, d, etape, role, commentaire, extra);
    const cote = MESSAGE_DE[etape];
    if (cote && commentaire) await insererMessage(tx, by, d, cote, commentaire);
    return apres;
  });
}
