import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../platform/db/connect.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { recordAudit } from '../platform/audit/store.ts';
import { organisation } from '../contrat/schema.ts';
import { dossier, financement, financeurAap, structure } from './schema.ts';
import { EtapeRefusee, franchirEtape, referenceDossier, type CampagneAapRow } from './store.ts';
import {
  axeDe, STATUTS_COMITE, validerDecisions,
  type DossierADecider, type ErreursDecisions, type LigneComite, type MontantsFinanceur, type SaisieDecisions, type StatutComite,
} from './comite-model.ts';
import { centimes } from './model.ts';

// The committee's reads and its one write: every file of a campaign the committee may look at, with
// its amounts per campaign funder (two queries, whatever the number of files), and the batch decision,
// all or nothing.

/** Every file of the campaign in a state the committee looks at, by number, with its campaign funders' amounts. */
export async function lignesComite(db: DbOrTx, campagne: Pick<CampagneAapRow, 'id' | 'annee'>): Promise<LigneComite[]> {
  const dossiers = await db
    .select({
      id: dossier.id,
      numero: dossier.numero,
      titre: dossier.titre,
      statut: dossier.statut,
      version: dossier.version,
      organisationId: dossier.organisationId,
      nom: organisation.nom,
      fictive: structure.fictive,
      territoireIds: dossier.territoireIds,
      noeudRefs: dossier.noeudRefs,
      thematique: dossier.thematique,
    })
    .from(dossier)
    .innerJoin(organisation, eq(organisation.id, dossier.organisationId))
    .leftJoin(structure, eq(structure.organisationId, dossier.organisationId))
    .where(and(eq(dossier.campagneId, campagne.id), inArray(dossier.statut, [...STATUTS_COMITE])))
    .orderBy(asc(dossier.numero));
  const lignes = await db
    .select({
      id: financement.id,
      dossierId: financement.dossierId,
      financeurId: financement.financeurId,
      demande: financement.demandeCentimes,
      propose: financement.proposeCentimes,
      accorde: financement.accordeCentimes,
    })
    .from(financement)
    .innerJoin(dossier, eq(dossier.id, financement.dossierId))
    .where(and(eq(dossier.campagneId, campagne.id), inArray(dossier.statut, [...STATUTS_COMITE]), isNotNull(financement.financeurId)))
    .orderBy(asc(financement.ordre));
  const montants = new Map<string, Record<string, MontantsFinanceur>>();
  for (const f of lignes) {
    let m = montants.get(f.dossierId);
    if (!m) montants.set(f.dossierId, (m = {}));
    const deja = m[f.financeurId!];
    // Two lines for one funder on a file (typed twice by the association) add up.
    m[f.financeurId!] = deja
      ? { financementId: deja.financementId, demande: deja.demande + f.demande, propose: somme(deja.propose, f.propose), accorde: somme(deja.accorde, f.accorde) }
      : { financementId: f.id, demande: f.demande, propose: f.propose, accorde: f.accorde };
  }
  return dossiers.map((d) => ({
    id: d.id,
    numero: d.numero,
    reference: referenceDossier(d, campagne.annee),
    titre: d.titre,
    statut: d.statut as StatutComite,
    version: d.version,
    association: { id: d.organisationId, nom: d.nom, fictive: d.fictive !== null },
    territoireIds: d.territoireIds,
    axe: axeDe(d.noeudRefs),
    thematique: d.thematique,
    montants: montants.get(d.id) ?? {},
  }));
}

const somme = (a: number | null, b: number | null) => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));

async function dossiersADecider(db: DbOrTx, campagne: Pick<CampagneAapRow, 'id' | 'annee'>, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await db.select().from(dossier).where(and(eq(dossier.campagneId, campagne.id), inArray(dossier.id, ids))).orderBy(asc(dossier.numero));
  const lignes = await db
    .select({ id: financement.id, dossierId: financement.dossierId, financeur: financeurAap.nom })
    .from(financement)
    .innerJoin(financeurAap, eq(financeurAap.id, financement.financeurId))
    .where(inArray(financement.dossierId, rows.map((r) => r.id)))
    .orderBy(asc(financement.ordre));
  return rows.map((r) => ({
    row: r,
    aDecider: {
      id: r.id,
      reference: referenceDossier(r, campagne.annee),
      statut: r.statut,
      version: r.version,
      financements: lignes.filter((l) => l.dossierId === r.id).map((l) => ({ id: l.id, financeur: l.financeur })),
    } satisfies DossierADecider,
  }));
}

export type ResultatDecisions = { ok: true; decides: number } | { ok: false; erreurs: ErreursDecisions };

/**
 * Accepts or refuses the selected files in one transaction: each one's granted amounts (0 when refused),
 * then its step, dated and audited. One file in error and nothing changes; the errors say which and why.
 */
export async function deciderEnLot(
  db: Db,
  by: AuditActor,
  campagne: Pick<CampagneAapRow, 'id' | 'annee' | 'contratId'>,
  ids: string[],
  saisie: SaisieDecisions,
): Promise<ResultatDecisions> {
  try {
    return await db.transaction(async (tx) => {
      const trouves = await dossiersADecider(tx, campagne, ids);
      const absents = ids.filter((id) => !trouves.some((t) => t.row.id === id));
      const v = validerDecisions(trouves.map((t) => t.aDecider), saisie, centimes);
      if (absents.length || !v.ok) {
        const erreurs = v.ok ? {} : v.erreurs;
        if (absents.length) erreurs._ = `${absents.length} dossier${absents.length > 1 ? 's' : ''} sélectionné${absents.length > 1 ? 's' : ''} n’appartien${absents.length > 1 ? 'nent' : 't'} pas à cette campagne.`;
        return { ok: false, erreurs };
      }
      const motif = saisie.motif.trim() || null;
      const etape = saisie.decision;
      for (const decision of v.decisions) {
        const { row } = trouves.find((t) => t.row.id === decision.dossierId)!;
        const avant = await tx.select({ id: financement.id, accorde: financement.accordeCentimes }).from(financement).where(eq(financement.dossierId, row.id));
        for (const a of decision.accordes) await tx.update(financement).set({ accordeCentimes: a.accorde }).where(eq(financement.id, a.financementId));
        await recordAudit(tx, by, {
          action: 'dossier-montants-accordes',
          objectType: 'dossier',
          objectId: row.id,
          objectLabel: row.titre,
          contratId: campagne.contratId,
          before: { accordes: avant.filter((x) => decision.accordes.some((a) => a.financementId === x.id)) },
          after: { accordes: decision.accordes.map((a) => ({ id: a.financementId, accorde: a.accorde })) },
        });
        // franchirEtape opens a savepoint inside this transaction: a refusal rolls every file back.
        await franchirEtape(tx, by, row, etape, 'direction_projet', motif, { decideLe: new Date(), decisionMotif: motif });
      }
      return { ok: true, decides: v.decisions.length };
    });
  } catch (e) {
    if (e instanceof EtapeRefusee) return { ok: false, erreurs: { _: e.message } };
    throw e;
  }
}
