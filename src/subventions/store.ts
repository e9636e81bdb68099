import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/connect.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { recordAudit } from '../platform/audit/store.ts';
import { organisation } from '../contrat/schema.ts';
import { campagneAap, dossier, dossierEvenement, financement, financeurAap, groupeInstruction, structure } from './schema.ts';
import { TRANSITIONS_DOSSIER, type EtapeDossier, type RoleDossier, type StatutDossier } from './model.ts';

// What every page of the call for projects reads: campaigns, their funders, a file with its funding
// lines, an association's profile; and the one function that moves a file from a state to another.

export type CampagneAapRow = typeof campagneAap.$inferSelect;
export type FinanceurRow = typeof financeurAap.$inferSelect;
export type GroupeRow = typeof groupeInstruction.$inferSelect;
export type DossierRow = typeof dossier.$inferSelect;
export type FinancementRow = typeof financement.$inferSelect;
export type StructureRow = typeof structure.$inferSelect;
export type EvenementDossierRow = typeof dossierEvenement.$inferSelect;

export async function listerCampagnesAap(db: DbOrTx, contratId: string): Promise<CampagneAapRow[]> {
  return db.select().from(campagneAap).where(eq(campagneAap.contratId, contratId)).orderBy(desc(campagneAap.annee));
}

export async function campagneAapParAnnee(db: DbOrTx, contratId: string, annee: number): Promise<CampagneAapRow | undefined> {
  const [c] = await db.select().from(campagneAap).where(and(eq(campagneAap.contratId, contratId), eq(campagneAap.annee, annee)));
  return c;
}

export async function financeursDe(db: DbOrTx, campagneId: string): Promise<FinanceurRow[]> {
  return db.select().from(financeurAap).where(eq(financeurAap.campagneId, campagneId)).orderBy(asc(financeurAap.ordre), asc(financeurAap.nom));
}

export async function groupesDe(db: DbOrTx, campagneId: string): Promise<GroupeRow[]> {
  return db.select().from(groupeInstruction).where(eq(groupeInstruction.campagneId, campagneId)).orderBy(asc(groupeInstruction.ordre), asc(groupeInstruction.nom));
}

export type DossierComplet = DossierRow & {
  campagne: CampagneAapRow;
  association: { id: string; nom: string };
  financements: FinancementRow[];
};

/** A file of the contract with its campaign, its association's name and its funding lines; undefined when it is not this contract's. */
export async function dossierParId(db: DbOrTx, contratId: string, id: string): Promise<DossierComplet | undefined> {
  const [row] = await db
    .select({ d: dossier, c: campagneAap, o: { id: organisation.id, nom: organisation.nom } })
    .from(dossier)
    .innerJoin(campagneAap, eq(campagneAap.id, dossier.campagneId))
    .innerJoin(organisation, eq(organisation.id, dossier.organisationId))
    .where(and(eq(dossier.contratId, contratId), eq(dossier.id, id)));
  if (!row) return undefined;
  const financements = await db.select().from(financement).where(eq(financement.dossierId, id)).orderBy(asc(financement.ordre));
  return { ...row.d, campagne: row.c, association: row.o, financements };
}

export async function financementsDe(db: DbOrTx, dossierIds: string[]): Promise<FinancementRow[]> {
  if (dossierIds.length === 0) return [];
  return db.select().from(financement).where(inArray(financement.dossierId, dossierIds)).orderBy(asc(financement.ordre));
}

export async function structureDe(db: DbOrTx, organisationId: string): Promise<StructureRow | undefined> {
  const [s] = await db.select().from(structure).where(eq(structure.organisationId, organisationId));
  return s;
}

export async function evenementsDe(db: DbOrTx, dossierId: string): Promise<EvenementDossierRow[]> {
  return db.select().from(dossierEvenement).where(eq(dossierEvenement.dossierId, dossierId)).orderBy(asc(dossierEvenement.le));
}

/** A public reference for a file: the campaign's year and its number ("2021-0042"). */
export const referenceDossier = (d: { numero: number }, annee: number) => `${annee}-${String(d.numero).padStart(4, '0')}`;

export class EtapeRefusee extends Error {}

/**
 * Moves a file one step along TRANSITIONS_DOSSIER, dated and audited in the same transaction. Refused
 * (EtapeRefusee, French message) when the step does not leave from the file's current state or the role
 * may not take it; `version` guards against two people acting on the same file at once.
 */
export async function franchirEtape(
  db: DbOrTx,
  by: AuditActor,
  d: { id: string; contratId: string; statut: string; version: number; titre: string },
  etape: EtapeDossier,
  role: RoleDossier,
  commentaire: string | null,
  extra: Partial<Pick<DossierRow, 'deposeLe' | 'decideLe' | 'decisionMotif'>> = {},
): Promise<DossierRow> {
  const t = TRANSITIONS_DOSSIER[etape];
  if (!t.de.includes(d.statut as StatutDossier)) throw new EtapeRefusee(`« ${t.libelle} » n’est pas possible pour un dossier dans cet état.`);
  if (!t.roles.includes(role)) throw new EtapeRefusee(`Votre rôle ne permet pas de « ${t.libelle.toLowerCase()} ».`);
  return db.transaction(async (tx) => {
    const [apres] = await tx
      .update(dossier)
      .set({ statut: t.vers, version: d.version + 1, modifieLe: new Date(), ...extra })
      .where(and(eq(dossier.id, d.id), eq(dossier.version, d.version), eq(dossier.statut, d.statut)))
      .returning();
    if (!apres) throw new EtapeRefusee('Le dossier vient d’être modifié par quelqu’un d’autre : rechargez la page avant de recommencer.');
    await tx.insert(dossierEvenement).values({ dossierId: d.id, etape, de: d.statut, vers: t.vers, commentaire, par: by.label });
    await recordAudit(tx, by, {
      action: `dossier-${etape}`,
      objectType: 'dossier',
      objectId: d.id,
      objectLabel: d.titre,
      contratId: d.contratId,
      before: { statut: d.statut },
      after: { statut: t.vers, commentaire, ...extra },
    });
    return apres;
  });
}
