import { and, asc, desc, eq, inArray, like, sql } from 'drizzle-orm';
import { organisation } from '../contrat/schema.ts';
import type { Db, DbOrTx, Tx } from '../platform/db/connect.ts';
import { recordAudit } from '../platform/audit/store.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { campagne, engagement, ficheEvenement, ficheSuivi, mesure } from './schema.ts';
import type { NatureCible, Sens } from './model.ts';
import { calculerMesure, type EngagementSaisi, type FicheSaisie, type MesureCalculee } from './preparation.ts';
import { empreinteEngagement, saisiDansPilotis, SOURCE_PAR_DEFAUT, type ChampsDocument, type ChampsEngagement } from './engagement-form.ts';

/** The columns of a sheet filled in Pilotis: a baseline, the target, the year's result, the declared rate. */
export const COLONNES_STANDARD = 'Situation de référence | Objectif à atteindre, fixé par le contrat de ville | Résultat | Taux de réalisation';

export type EngagementRow = typeof engagement.$inferSelect;
export type CampagneRow = typeof campagne.$inferSelect;
export type FicheRow = typeof ficheSuivi.$inferSelect;
export type MesureRow = typeof mesure.$inferSelect;
export type EvenementRow = typeof ficheEvenement.$inferSelect;
/** A sheet with its measures and the signatory its organisation acts for (the policy's scope covers it). */
export type FicheComplete = FicheRow & { mesures: MesureRow[]; organisationParentId: string | null };

const texteEngagement = (e: EngagementSaisi) => `${e.intitule} ${e.indicateur ?? ''} ${e.dispositif ?? ''} ${e.porteur ?? ''}`.toLowerCase();

/**
 * Loads the commitments and a historical campaign (the 2015 bilan) as printed. Commitments are matched
 * on their reference; the campaign is loaded once (a later correction goes through Pilotis, audited).
 */
export async function chargerBilan(
  db: Db,
  by: AuditActor,
  contratId: string,
  donnees: { engagements: EngagementSaisi[]; fiches: FicheSaisie[] },
  organisations: ReadonlyMap<string, string>,
  c: { annee: number; source: string },
): Promise<{ engagements: number; fiches: number }> {
  return db.transaction(async (tx) => {
    const existants = new Set((await tx.select({ ref: engagement.ref }).from(engagement).where(eq(engagement.contratId, contratId))).map((e) => e.ref));
    const nouveaux = donnees.engagements.filter((e) => !existants.has(e.ref));
    const orgId = (nom: string | null) => (nom ? (organisations.get(nom) ?? organisations.get(nom.toLowerCase()) ?? null) : null);
    for (let i = 0; i < nouveaux.length; i += 200) {
      await tx.insert(engagement).values(nouveaux.slice(i, i + 200).map((e) => ({ ...e, contratId, organisationId: orgId(e.porteur), recherche: texteEngagement(e) })));
    }
    const refs = new Map(
      (await tx.select({ id: engagement.id, ref: engagement.ref }).from(engagement).where(eq(engagement.contratId, contratId))).map((e) => [e.ref, e.id]),
    );
    const [deja] = await tx.select().from(campagne).where(and(eq(campagne.contratId, contratId), eq(campagne.annee, c.annee)));
    let fiches = 0;
    if (!deja) {
      const [camp] = await tx.insert(campagne).values({ contratId, annee: c.annee, echeance: null, close: true, publiee: true, source: c.source }).returning();
      for (const f of donnees.fiches) {
        const { mesures, porteur, ...champs } = f;
        const [fiche] = await tx
          .insert(ficheSuivi)
          .values({ ...champs, contratId, campagneId: camp!.id, organisationId: orgId(porteur), engagementId: refs.get(mesures[0]!.engagementRef) ?? null, statut: 'validee', modifiePar: by.label })
          .returning();
        await tx.insert(mesure).values(mesures.map((m) => versLigneMesure(fiche!.id, m, refs.get(m.engagementRef) ?? null)));
        fiches++;
      }
      await recordAudit(tx, by, { action: 'chargement', objectType: 'campagne', objectId: camp!.id, objectLabel: `Campagne ${c.annee}`, contratId, after: { fiches, source: c.source } });
    }
    if (nouveaux.length) {
      await recordAudit(tx, by, { action: 'chargement', objectType: 'engagement', objectId: contratId, objectLabel: 'Engagements du contrat', contratId, after: { ajoutes: nouveaux.length } });
    }
    return { engagements: nouveaux.length, fiches };
  });
}

export function versLigneMesure(ficheId: string, m: MesureCalculee, engagementId: string | null): typeof mesure.$inferInsert {
  const { engagementRef: _ref, ...reste } = m;
  return { ...reste, ficheId, engagementId };
}

export type FiltreEngagements = { organisationId?: string; nature?: string; texte?: string };

export async function listerEngagements(db: DbOrTx, contratId: string, f: FiltreEngagements = {}): Promise<EngagementRow[]> {
  const conditions = [eq(engagement.contratId, contratId)];
  if (f.organisationId) conditions.push(eq(engagement.organisationId, f.organisationId));
  if (f.nature) conditions.push(eq(engagement.nature, f.nature));
  if (f.texte) conditions.push(sql`${engagement.recherche} like ${`%${f.texte.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`}`);
  return db
    .select()
    .from(engagement)
    .where(and(...conditions))
    .orderBy(asc(engagement.ref));
}

export async function engagementParRef(db: DbOrTx, contratId: string, ref: string): Promise<EngagementRow | undefined> {
  const [e] = await db.select().from(engagement).where(and(eq(engagement.contratId, contratId), eq(engagement.ref, ref)));
  return e;
}

/** The measures that follow a commitment, campaign after campaign. */
export async function suiviEngagement(db: DbOrTx, engagementId: string): Promise<{ annee: number; numero: number; statut: string; mesure: MesureRow }[]> {
  const rows = await db
    .select({ annee: campagne.annee, numero: ficheSuivi.numero, statut: ficheSuivi.statut, mesure })
    .from(mesure)
    .innerJoin(ficheSuivi, eq(ficheSuivi.id, mesure.ficheId))
    .innerJoin(campagne, eq(campagne.id, ficheSuivi.campagneId))
    .where(eq(mesure.engagementId, engagementId))
    .orderBy(asc(campagne.annee));
  return rows;
}

// ——— Campaigns ———

export async function listerCampagnes(db: DbOrTx, contratId: string): Promise<(CampagneRow & { fiches: number; parStatut: Record<string, number> })[]> {
  const camps = await db.select().from(campagne).where(eq(campagne.contratId, contratId)).orderBy(desc(campagne.annee));
  if (!camps.length) return [];
  const comptes = await db
    .select({ campagneId: ficheSuivi.campagneId, statut: ficheSuivi.statut, n: sql<number>`count(*)::int` })
    .from(ficheSuivi)
    .where(inArray(ficheSuivi.campagneId, camps.map((c) => c.id)))
    .groupBy(ficheSuivi.campagneId, ficheSuivi.statut);
  return camps.map((c) => {
    const parStatut: Record<string, number> = {};
    for (const r of comptes) if (r.campagneId === c.id) parStatut[r.statut] = r.n;
    return { ...c, fiches: Object.values(parStatut).reduce((a, b) => a + b, 0), parStatut };
  });
}

export async function campagneParAnnee(db: DbOrTx, contratId: string, annee: number): Promise<CampagneRow | undefined> {
  const [c] = await db.select().from(campagne).where(and(eq(campagne.contratId, contratId), eq(campagne.annee, annee)));
  return c;
}

/**
 * Opens a year's campaign: every sheet of the latest campaign is carried over to be filled again, same
 * commitment, organisation, objective, indicator, baseline and target, results and analyses emptied.
 */
export async function ouvrirCampagne(db: Db, by: AuditActor, contratId: string, annee: number, echeance: string): Promise<{ ok: true; campagne: CampagneRow } | { ok: false; message: string }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select id from contrat where id = ${contratId} for update`);
    if (await campagneParAnnee(tx, contratId, annee)) return { ok: false, message: `La campagne ${annee} existe déjà.` };
    const [precedente] = await tx.select().from(campagne).where(eq(campagne.contratId, contratId)).orderBy(desc(campagne.annee)).limit(1);
    const [camp] = await tx.insert(campagne).values({ contratId, annee, echeance, source: 'Ouverte dans Pilotis' }).returning();
    if (precedente) {
      const fiches = await fichesCompletes(tx, precedente.id);
      for (const f of fiches) {
        const [nouvelle] = await tx
          .insert(ficheSuivi)
          .values({
            contratId,
            campagneId: camp!.id,
            engagementId: f.engagementId,
            organisationId: f.organisationId,
            numero: f.numero,
            titre: f.titre,
            axe: f.axe,
            thematique: f.thematique,
            objectif: f.objectif,
            indicateur: f.indicateur,
            services: f.services,
            colonnes: COLONNES_STANDARD,
            statut: 'a_remplir',
            modifiePar: by.label,
          })
          .returning();
        if (f.mesures.length) {
          await tx.insert(mesure).values(
            f.mesures.map((m) =>
              versLigneMesure(
                nouvelle!.id,
                calculerMesure({
                  rang: m.rang,
                  engagementRef: '',
                  sousMesure: m.sousMesure,
                  libelle: m.libelle,
                  nature: m.nature as NatureCible,
                  sens: m.sens as Sens,
                  reference: m.reference,
                  cible: m.cible,
                  resultat: null,
                  dateResultat: null,
                  tauxDeclare: null,
                  lignes: null,
                  note: null,
                }, COLONNES_STANDARD),
                m.engagementId,
              ),
            ),
          );
        }
      }
    }
    await recordAudit(tx, by, { action: 'creation', objectType: 'campagne', objectId: camp!.id, objectLabel: `Campagne ${annee}`, contratId, after: camp });
    return { ok: true, campagne: camp! };
  });
}

export async function modifierCampagne(db: Db, by: AuditActor, contratId: string, annee: number, v: Partial<Pick<CampagneRow, 'publiee' | 'close' | 'echeance'>>): Promise<CampagneRow | null> {
  return db.transaction(async (tx) => {
    const avant = await campagneParAnnee(tx, contratId, annee);
    if (!avant) return null;
    const [apres] = await tx.update(campagne).set(v).where(eq(campagne.id, avant.id)).returning();
    await recordAudit(tx, by, { action: 'modification', objectType: 'campagne', objectId: avant.id, objectLabel: `Campagne ${annee}`, contratId, before: avant, after: apres });
    return apres!;
  });
}

export async function fichesCompletes(db: DbOrTx, campagneId: string, organisationIds?: string[]): Promise<FicheComplete[]> {
  const where = organisationIds ? and(eq(ficheSuivi.campagneId, campagneId), inArray(ficheSuivi.organisationId, organisationIds.length ? organisationIds : ['00000000-0000-0000-0000-000000000000'])) : eq(ficheSuivi.campagneId, campagneId);
  const fiches = await db.select().from(ficheSuivi).where(where).orderBy(asc(ficheSuivi.numero));
  if (!fiches.length) return [];
  const mesures = await db.select().from(mesure).where(inArray(mesure.ficheId, fiches.map((f) => f.id))).orderBy(asc(mesure.rang));
  const parFiche = new Map<string, MesureRow[]>();
  for (const m of mesures) parFiche.set(m.ficheId, [...(parFiche.get(m.ficheId) ?? []), m]);
  const parents = await parentsDe(db, fiches.map((f) => f.organisationId));
  return fiches.map((f) => ({ ...f, mesures: parFiche.get(f.id) ?? [], organisationParentId: parents.get(f.organisationId ?? '') ?? null }));
}

async function parentsDe(db: DbOrTx, ids: (string | null)[]): Promise<Map<string, string | null>> {
  const uniques = [...new Set(ids.filter((i): i is string => i !== null))];
  if (!uniques.length) return new Map();
  const rows = await db.select({ id: organisation.id, parentId: organisation.parentId }).from(organisation).where(inArray(organisation.id, uniques));
  return new Map(rows.map((r) => [r.id, r.parentId]));
}

/** The sheets of a campaign with their measures; `organisationIds` narrows to some organisations. */
export async function listerFiches(db: DbOrTx, campagneId: string, organisationIds?: string[]): Promise<FicheComplete[]> {
  return fichesCompletes(db, campagneId, organisationIds);
}

export async function ficheParNumero(db: DbOrTx, campagneId: string, numero: number): Promise<(FicheComplete & { evenements: EvenementRow[] }) | null> {
  const [f] = await db.select().from(ficheSuivi).where(and(eq(ficheSuivi.campagneId, campagneId), eq(ficheSuivi.numero, numero)));
  if (!f) return null;
  const mesures = await db.select().from(mesure).where(eq(mesure.ficheId, f.id)).orderBy(asc(mesure.rang));
  const evenements = await db.select().from(ficheEvenement).where(eq(ficheEvenement.ficheId, f.id)).orderBy(asc(ficheEvenement.le));
  const parents = await parentsDe(db, [f.organisationId]);
  return { ...f, mesures, evenements, organisationParentId: parents.get(f.organisationId ?? '') ?? null };
}

// ——— Commitments recorded or maintained by the direction de projet ———

export type ResultatModification = { ok: true; engagement: EngagementRow } | { ok: false; conflit: EngagementRow } | { ok: false; absent: true };

/** The name of one of the contract's organisations, which a commitment recorded in Pilotis gives as its porteur. */
async function nomOrganisation(tx: Tx, contratId: string, organisationId: string | null): Promise<string | null> {
  if (!organisationId) return null;
  const [o] = await tx.select({ nom: organisation.nom }).from(organisation).where(and(eq(organisation.id, organisationId), eq(organisation.contratId, contratId)));
  if (!o) throw new Error(`L’organisation ${organisationId} n’appartient pas au contrat ${contratId}`);
  return o.nom;
}

/** The columns of a commitment recorded in Pilotis: its one source is the decision typed (or Pilotis itself), stating the target. */
function colonnesSaisies(ref: string, c: ChampsEngagement, porteur: string | null) {
  const { source, jalons, ...champs } = c;
  const saisi: EngagementSaisi = {
    ...champs,
    ref,
    porteur,
    sources: [{ document: 'Pilotis', lignes: [], texte: source ?? SOURCE_PAR_DEFAUT, valeur: c.cible, origine: 'saisie' }],
  };
  return { ...saisi, jalons, recherche: texteEngagement(saisi) };
}

/** Records a commitment decided outside the documents, numbered "saisie-<n>" under a lock so that two saved at once get two numbers. */
export async function creerEngagement(db: Db, by: AuditActor, contratId: string, c: ChampsEngagement): Promise<EngagementRow> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select id from contrat where id = ${contratId} for update`);
    const refs = await tx.select({ ref: engagement.ref }).from(engagement).where(and(eq(engagement.contratId, contratId), like(engagement.ref, 'saisie-%')));
    const n = Math.max(0, ...refs.map((r) => Number(/^saisie-(\d+)$/.exec(r.ref)?.[1] ?? 0))) + 1;
    const ref = `saisie-${n}`;
    const [cree] = await tx
      .insert(engagement)
      .values({ ...colonnesSaisies(ref, c, await nomOrganisation(tx, contratId, c.organisationId)), contratId })
      .returning();
    await recordAudit(tx, by, { action: 'creation', objectType: 'engagement', objectId: cree!.id, objectLabel: `Engagement ${ref} — ${c.intitule}`, contratId, after: cree });
    return cree!;
  });
}

/**
 * Changes a commitment. `avant` is the fingerprint of the commitment the form was built from: if it changed
 * since, nothing is written and the current commitment comes back. A commitment printed in the documents
 * only takes a new owner, new items of the tree and new milestones, whatever else is given.
 */
export async function modifierEngagement(
  db: Db,
  by: AuditActor,
  x: { contratId: string; ref: string; avant: string; champs: ChampsDocument | ChampsEngagement },
): Promise<ResultatModification> {
  return db.transaction(async (tx) => {
    const [actuel] = await tx.select().from(engagement).where(and(eq(engagement.contratId, x.contratId), eq(engagement.ref, x.ref))).for('update');
    if (!actuel) return { ok: false, absent: true };
    if (empreinteEngagement(actuel) !== x.avant) return { ok: false, conflit: actuel };
    const { organisationId, noeudRefs, jalons } = x.champs;
    const nom = await nomOrganisation(tx, x.contratId, organisationId);
    const valeurs = saisiDansPilotis(actuel) && 'intitule' in x.champs ? colonnesSaisies(actuel.ref, x.champs, nom) : { noeudRefs, jalons };
    const [apres] = await tx
      .update(engagement)
      .set({ ...valeurs, organisationId })
      .where(eq(engagement.id, actuel.id))
      .returning();
    await recordAudit(tx, by, {
      action: 'modification',
      objectType: 'engagement',
      objectId: actuel.id,
      objectLabel: `Engagement ${actuel.ref} — ${apres!.intitule}`,
      contratId: x.contratId,
      before: actuel,
      after: apres,
    });
    return { ok: true, engagement: apres! };
  });
}
