import { and, count, eq, max } from 'drizzle-orm';
import type { Db, Tx } from '../platform/db/connect.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { recordAudit } from '../platform/audit/store.ts';
import { avisFinanceur, campagneAap, financement, financeurAap, groupeInstruction } from './schema.ts';
import type { CampagneAapRow, FinanceurRow, GroupeRow } from './store.ts';
import type { ChampsFinanceur, ChampsGroupe, ChampsNouvelle } from './campagne-form.ts';

// The direction de projet's writes on a call for projects: the campaign itself, its funders, its
// instruction teams. Each write is audited in its own transaction; a campaign's fields are guarded by its
// version, so that a save made from an outdated page is refused instead of overwriting someone's change.

export type ChampsCampagne = Partial<Pick<CampagneAapRow, 'titre' | 'ouverture' | 'cloture' | 'presentation' | 'prioriteRefs' | 'territoireIds' | 'thematiques'>>;

const libelleCampagne = (c: Pick<CampagneAapRow, 'annee' | 'titre'>) => `Appel à projets ${c.annee} — ${c.titre}`;

export async function creerCampagne(db: Db, by: AuditActor, contratId: string, champs: ChampsNouvelle): Promise<{ ok: true; campagne: CampagneAapRow } | { ok: false; anneePrise: true }> {
  return db.transaction(async (tx) => {
    const [deja] = await tx.select({ id: campagneAap.id }).from(campagneAap).where(and(eq(campagneAap.contratId, contratId), eq(campagneAap.annee, champs.annee)));
    if (deja) return { ok: false, anneePrise: true } as const;
    const [c] = await tx.insert(campagneAap).values({ contratId, ...champs }).returning();
    await recordAudit(tx, by, { action: 'creation', objectType: 'campagne_aap', objectId: c!.id, objectLabel: libelleCampagne(c!), contratId, after: c });
    return { ok: true, campagne: c! } as const;
  });
}

export type ResultatCampagne = { ok: true; campagne: CampagneAapRow } | { ok: false; conflit: CampagneAapRow } | { ok: false; absente: true };

/** Changes some of a campaign's fields if nobody saved it since `versionLue`; otherwise gives back the campaign as it is now. */
export async function modifierCampagne(db: Db, by: AuditActor, x: { contratId: string; campagneId: string; versionLue: number; champs: ChampsCampagne }): Promise<ResultatCampagne> {
  return db.transaction(async (tx) => {
    const [avant] = await tx
      .select()
      .from(campagneAap)
      .where(and(eq(campagneAap.contratId, x.contratId), eq(campagneAap.id, x.campagneId)))
      .for('update');
    if (!avant) return { ok: false, absente: true } as const;
    if (avant.version !== x.versionLue) return { ok: false, conflit: avant } as const;
    const [apres] = await tx
      .update(campagneAap)
      .set({ ...x.champs, version: avant.version + 1 })
      .where(eq(campagneAap.id, avant.id))
      .returning();
    await recordAudit(tx, by, { action: 'modification', objectType: 'campagne_aap', objectId: avant.id, objectLabel: libelleCampagne(apres!), contratId: x.contratId, before: avant, after: apres });
    return { ok: true, campagne: apres! } as const;
  });
}

type Campagne = Pick<CampagneAapRow, 'id' | 'contratId' | 'annee'>;
export type ResultatFinanceur = { ok: true; financeur: FinanceurRow } | { ok: false; codePris: true } | { ok: false; absent: true };

async function codePris(tx: Tx, campagneId: string, code: string, sauf?: string): Promise<boolean> {
  const rows = await tx.select({ id: financeurAap.id }).from(financeurAap).where(and(eq(financeurAap.campagneId, campagneId), eq(financeurAap.code, code)));
  return rows.some((r) => r.id !== sauf);
}

const libelleFinanceur = (c: Campagne, f: { nom: string }) => `${f.nom} (appel à projets ${c.annee})`;

export async function ajouterFinanceur(db: Db, by: AuditActor, c: Campagne, champs: ChampsFinanceur): Promise<ResultatFinanceur> {
  return db.transaction(async (tx) => {
    if (await codePris(tx, c.id, champs.code)) return { ok: false, codePris: true } as const;
    // New funders come last, in the order they were added.
    const [dernier] = await tx.select({ n: max(financeurAap.ordre) }).from(financeurAap).where(eq(financeurAap.campagneId, c.id));
    const [f] = await tx
      .insert(financeurAap)
      .values({ contratId: c.contratId, campagneId: c.id, ...champs, ordre: (dernier?.n ?? 0) + 1 })
      .returning();
    await recordAudit(tx, by, { action: 'creation', objectType: 'financeur_aap', objectId: f!.id, objectLabel: libelleFinanceur(c, f!), contratId: c.contratId, after: f });
    return { ok: true, financeur: f! } as const;
  });
}

export async function modifierFinanceur(db: Db, by: AuditActor, c: Campagne, id: string, champs: ChampsFinanceur): Promise<ResultatFinanceur> {
  return db.transaction(async (tx) => {
    const [avant] = await tx.select().from(financeurAap).where(and(eq(financeurAap.campagneId, c.id), eq(financeurAap.id, id))).for('update');
    if (!avant) return { ok: false, absent: true } as const;
    if (await codePris(tx, c.id, champs.code, id)) return { ok: false, codePris: true } as const;
    const [apres] = await tx.update(financeurAap).set(champs).where(eq(financeurAap.id, id)).returning();
    await recordAudit(tx, by, { action: 'modification', objectType: 'financeur_aap', objectId: id, objectLabel: libelleFinanceur(c, apres!), contratId: c.contratId, before: avant, after: apres });
    return { ok: true, financeur: apres! } as const;
  });
}

/** How many funding lines and opinions name a funder: a funder that files rely on cannot be removed. */
export async function usagesFinanceur(db: Db | Tx, financeurId: string): Promise<number> {
  const [f] = await db.select({ n: count() }).from(financement).where(eq(financement.financeurId, financeurId));
  const [a] = await db.select({ n: count() }).from(avisFinanceur).where(eq(avisFinanceur.financeurId, financeurId));
  return (f?.n ?? 0) + (a?.n ?? 0);
}

export async function retirerFinanceur(db: Db, by: AuditActor, c: Campagne, id: string): Promise<{ ok: true } | { ok: false; absent: true } | { ok: false; usages: number; nom: string }> {
  return db.transaction(async (tx) => {
    const [avant] = await tx.select().from(financeurAap).where(and(eq(financeurAap.campagneId, c.id), eq(financeurAap.id, id))).for('update');
    if (!avant) return { ok: false, absent: true } as const;
    const usages = await usagesFinanceur(tx, id);
    if (usages > 0) return { ok: false, usages, nom: avant.nom } as const;
    await tx.delete(financeurAap).where(eq(financeurAap.id, id));
    await recordAudit(tx, by, { action: 'retrait', objectType: 'financeur_aap', objectId: id, objectLabel: libelleFinanceur(c, avant), contratId: c.contratId, before: avant });
    return { ok: true } as const;
  });
}

const libelleGroupe = (c: Campagne, g: { nom: string }) => `${g.nom} (appel à projets ${c.annee})`;

export async function ajouterGroupe(db: Db, by: AuditActor, c: Campagne, champs: ChampsGroupe): Promise<GroupeRow> {
  return db.transaction(async (tx) => {
    const [dernier] = await tx.select({ n: max(groupeInstruction.ordre) }).from(groupeInstruction).where(eq(groupeInstruction.campagneId, c.id));
    const [g] = await tx
      .insert(groupeInstruction)
      .values({ contratId: c.contratId, campagneId: c.id, ...champs, ordre: (dernier?.n ?? 0) + 1 })
      .returning();
    await recordAudit(tx, by, { action: 'creation', objectType: 'groupe_instruction', objectId: g!.id, objectLabel: libelleGroupe(c, g!), contratId: c.contratId, after: g });
    return g!;
  });
}

export async function modifierGroupe(db: Db, by: AuditActor, c: Campagne, id: string, champs: ChampsGroupe): Promise<GroupeRow | undefined> {
  return db.transaction(async (tx) => {
    const [avant] = await tx.select().from(groupeInstruction).where(and(eq(groupeInstruction.campagneId, c.id), eq(groupeInstruction.id, id))).for('update');
    if (!avant) return undefined;
    const [apres] = await tx.update(groupeInstruction).set(champs).where(eq(groupeInstruction.id, id)).returning();
    await recordAudit(tx, by, { action: 'modification', objectType: 'groupe_instruction', objectId: id, objectLabel: libelleGroupe(c, apres!), contratId: c.contratId, before: avant, after: apres });
    return apres;
  });
}

export async function retirerGroupe(db: Db, by: AuditActor, c: Campagne, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [avant] = await tx.select().from(groupeInstruction).where(and(eq(groupeInstruction.campagneId, c.id), eq(groupeInstruction.id, id))).for('update');
    if (!avant) return false;
    await tx.delete(groupeInstruction).where(eq(groupeInstruction.id, id));
    await recordAudit(tx, by, { action: 'retrait', objectType: 'groupe_instruction', objectId: id, objectLabel: libelleGroupe(c, avant), contratId: c.contratId, before: avant });
    return true;
  });
}
