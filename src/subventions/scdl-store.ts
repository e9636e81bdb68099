import { and, asc, eq, gt, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/connect.ts';
import { organisation } from '../contrat/schema.ts';
import { campagneAap, dossier, financement, financeurAap, structure } from './schema.ts';
import type { StatutDossier } from './model.ts';
import type { FinancementAccorde } from './scdl-model.ts';
import { referenceDossier } from './store.ts';
import { aujourdhuiParis } from './acces.ts';

// The funding lines the committee granted (an amount above zero on an accepted file), with what the
// open-data export names: the campaign, the funder and its SIRET, the association's name and
// identifiers, the decision's day. Lines of co-funders outside the campaign are not this contract's
// grants: the inner join on the campaign's funders leaves them out.

const ACCEPTE: StatutDossier = 'accepte';

export async function financementsAccordes(db: DbOrTx, contratId: string, annee?: number): Promise<FinancementAccorde[]> {
  const conditions: SQL[] = [eq(dossier.contratId, contratId), eq(dossier.statut, ACCEPTE), gt(financement.accordeCentimes, 0)];
  if (annee !== undefined) conditions.push(eq(campagneAap.annee, annee));
  const rows = await db
    .select({
      annee: campagneAap.annee,
      numero: dossier.numero,
      titre: dossier.titre,
      decideLe: dossier.decideLe,
      financeurNom: financeurAap.nom,
      financeurSiret: financeurAap.siret,
      associationNom: organisation.nom,
      siret: structure.siret,
      rna: structure.rna,
      fictive: structure.fictive,
      accordeCentimes: financement.accordeCentimes,
    })
    .from(financement)
    .innerJoin(dossier, eq(dossier.id, financement.dossierId))
    .innerJoin(campagneAap, eq(campagneAap.id, dossier.campagneId))
    .innerJoin(financeurAap, eq(financeurAap.id, financement.financeurId))
    .innerJoin(organisation, eq(organisation.id, dossier.organisationId))
    .leftJoin(structure, eq(structure.organisationId, dossier.organisationId))
    .where(and(...conditions))
    .orderBy(asc(campagneAap.annee), asc(dossier.numero), asc(financeurAap.ordre), asc(financeurAap.nom));
  return rows.map((r) => ({
    annee: r.annee,
    reference: referenceDossier(r, r.annee),
    titre: r.titre,
    dateDecision: r.decideLe ? aujourdhuiParis(r.decideLe) : null,
    financeur: { nom: r.financeurNom, siret: r.financeurSiret },
    association: { nom: r.associationNom, siret: r.siret, rna: r.rna, fictive: r.fictive !== null },
    accordeCentimes: r.accordeCentimes ?? 0,
  }));
}
