import { and, asc, desc, eq, inArray, max } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../platform/db/connect.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { recordAudit } from '../platform/audit/store.ts';
import { campagneAap, documentStructure, dossier, financement, financeurAap, structure as structure_, type PublicDossier } from './schema.ts';
import { ceQuiManque, type ContenuDossier, type Duplication, type FinancementSaisi, type FinancementSource, type Manque } from './demande-model.ts';
import type { DocumentDate } from './structure-model.ts';
import type { CampagneAapRow, DossierRow, FinancementRow } from './store.ts';

// An association's requests: a draft numbered within its campaign, saved again and again with a version
// check, duplicated from last year's. Every write is audited in its transaction.

export const PUBLIC_VIDE: PublicDossier = { nombre: null, ages: '', femmes: null, hommes: null, partQpv: null, description: '' };
export const STATUTS_MODIFIABLES = ['brouillon', 'complement_demande'] as const;
export const estModifiable = (statut: string) => (STATUTS_MODIFIABLES as readonly string[]).includes(statut);

export function contenuDe(d: DossierRow): ContenuDossier {
  return {
    titre: d.titre,
    objectifs: d.objectifs,
    description: d.description,
    dateDebut: d.dateDebut,
    dateFin: d.dateFin,
    lieux: d.lieux,
    public: d.public,
    territoireIds: d.territoireIds,
    noeudRefs: d.noeudRefs,
    thematique: d.thematique,
    charges: d.charges,
    autresProduits: d.autresProduits,
  };
}

export const financementSaisi = (f: FinancementRow): FinancementSaisi => ({ financeurId: f.financeurId, libelle: f.libelle, demandeCentimes: f.demandeCentimes });

const isUniqueViolation = (error: unknown): boolean => {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) if ((e as { code?: unknown }).code === '23505') return true;
  return false;
};

/**
 * Inserts a file with the campaign's next number. Two associations creating a file at the same moment
 * may read the same maximum: the unique index (campagne, numero) refuses the second, which tries again.
 */
async function insererNumerote(db: Db, campagneId: string, ecrire: (tx: Tx, numero: number) => Promise<DossierRow>): Promise<DossierRow> {
  for (let essai = 1; ; essai++) {
    try {
      return await db.transaction(async (tx) => {
        const [m] = await tx.select({ n: max(dossier.numero) }).from(dossier).where(eq(dossier.campagneId, campagneId));
        return ecrire(tx, (m?.n ?? 0) + 1);
      });
    } catch (e) {
      if (!isUniqueViolation(e) || essai === 5) throw e;
    }
  }
}

export type NouveauDossier = { contratId: string; campagneId: string; organisationId: string };

export async function creerBrouillon(db: Db, by: AuditActor, x: NouveauDossier & { titre: string }): Promise<DossierRow> {
  return insererNumerote(db, x.campagneId, async (tx, numero) => {
    const [d] = await tx
      .insert(dossier)
      .values({ contratId: x.contratId, campagneId: x.campagneId, organisationId: x.organisationId, numero, titre: x.titre, public: PUBLIC_VIDE, creePar: by.label })
      .returning();
    await recordAudit(tx, by, { action: 'dossier-creation', objectType: 'dossier', objectId: d!.id, objectLabel: d!.titre, contratId: x.contratId, after: d });
    return d!;
  });
}

/** Writes the co-funders' lines in the order given, keeping the amounts proposed and granted of the lines that stay. */
async function ecrireFinancements(tx: Tx, contratId: string, dossierId: string, lignes: readonly FinancementSaisi[]): Promise<void> {
  const avant = await tx.select().from(financement).where(eq(financement.dossierId, dossierId)).orderBy(asc(financement.ordre));
  const autresAvant = avant.filter((f) => f.financeurId === null);
  const gardes = new Set<string>();
  let autre = 0;
  for (const [ordre, l] of lignes.entries()) {
    const existant = l.financeurId !== null ? avant.find((f) => f.financeurId === l.financeurId) : autresAvant[autre++];
    if (existant) {
      gardes.add(existant.id);
      await tx.update(financement).set({ libelle: l.libelle, demandeCentimes: l.demandeCentimes, ordre }).where(eq(financement.id, existant.id));
    } else {
      await tx.insert(financement).values({ contratId, dossierId, financeurId: l.financeurId, libelle: l.libelle, demandeCentimes: l.demandeCentimes, ordre });
    }
  }
  const retires = avant.filter((f) => !gardes.has(f.id)).map((f) => f.id);
  if (retires.length) await tx.delete(financement).where(inArray(financement.id, retires));
}

export type ResultatEnregistrement = { ok: true; dossier: DossierRow } | { ok: false; raison: 'conflit' | 'statut'; dossier: DossierRow } | { ok: false; raison: 'absent' };

/** Saves a request being written (draft, or sent back for a complement). Refused when someone saved it since version `versionLue`. */
export async function enregistrerDemande(
  db: Db,
  by: AuditActor,
  x: { contratId: string; dossierId: string; versionLue: number; contenu: ContenuDossier; financements: readonly FinancementSaisi[] },
): Promise<ResultatEnregistrement> {
  return db.transaction(async (tx) => {
    const [avant] = await tx.select().from(dossier).where(and(eq(dossier.contratId, x.contratId), eq(dossier.id, x.dossierId))).for('update');
    if (!avant) return { ok: false, raison: 'absent' };
    if (!estModifiable(avant.statut)) return { ok: false, raison: 'statut', dossier: avant };
    if (avant.version !== x.versionLue) return { ok: false, raison: 'conflit', dossier: avant };
    const financementsAvant = await tx.select().from(financement).where(eq(financement.dossierId, x.dossierId)).orderBy(asc(financement.ordre));
    const [apres] = await tx
      .update(dossier)
      .set({ ...x.contenu, version: avant.version + 1, modifieLe: new Date() })
      .where(eq(dossier.id, x.dossierId))
      .returning();
    await ecrireFinancements(tx, x.contratId, x.dossierId, x.financements);
    await recordAudit(tx, by, {
      action: 'dossier-enregistrement',
      objectType: 'dossier',
      objectId: x.dossierId,
      objectLabel: apres!.titre,
      contratId: x.contratId,
      before: { ...contenuDe(avant), financements: financementsAvant.map(financementSaisi) },
      after: { ...x.contenu, financements: x.financements },
    });
    return { ok: true, dossier: apres! };
  });
}

/** A new draft in another campaign from an earlier file, as `dupliquer` mapped it. */
export async function creerDuplicata(db: Db, by: AuditActor, x: NouveauDossier & { sourceId: string; duplication: Duplication }): Promise<DossierRow> {
  return insererNumerote(db, x.campagneId, async (tx, numero) => {
    const [d] = await tx
      .insert(dossier)
      .values({ contratId: x.contratId, campagneId: x.campagneId, organisationId: x.organisationId, numero, ...x.duplication.contenu, dupliqueDeId: x.sourceId, creePar: by.label })
      .returning();
    await ecrireFinancements(tx, x.contratId, d!.id, x.duplication.financements);
    await recordAudit(tx, by, {
      action: 'dossier-duplication',
      objectType: 'dossier',
      objectId: d!.id,
      objectLabel: d!.titre,
      contratId: x.contratId,
      after: { ...d, financements: x.duplication.financements, dupliqueDe: x.sourceId, nonRepris: x.duplication.nonRepris },
    });
    return d!;
  });
}

/** The file already taken up from `sourceId` in a campaign, if any: a request is taken up once per campaign. */
export async function copieDans(db: DbOrTx, sourceId: string, campagneId: string): Promise<DossierRow | undefined> {
  const [d] = await db.select().from(dossier).where(and(eq(dossier.dupliqueDeId, sourceId), eq(dossier.campagneId, campagneId)));
  return d;
}

/** An earlier file's funding lines with their funders' codes, to find the same funders in a new campaign. */
export async function financementsSource(db: DbOrTx, dossierId: string): Promise<FinancementSource[]> {
  const rows = await db
    .select({ f: financement, code: financeurAap.code })
    .from(financement)
    .leftJoin(financeurAap, eq(financeurAap.id, financement.financeurId))
    .where(eq(financement.dossierId, dossierId))
    .orderBy(asc(financement.ordre));
  return rows.map((r) => ({ ...financementSaisi(r.f), financeurCode: r.code }));
}

export type DossierAssociation = DossierRow & { campagne: CampagneAapRow; demandeCentimes: number };

/** An association's files of every campaign, the latest campaign first, with the amount asked of the campaigns' funders. */
export async function dossiersDeOrganisation(db: DbOrTx, contratId: string, organisationId: string): Promise<DossierAssociation[]> {
  const rows = await db
    .select({ d: dossier, c: campagneAap })
    .from(dossier)
    .innerJoin(campagneAap, eq(campagneAap.id, dossier.campagneId))
    .where(and(eq(dossier.contratId, contratId), eq(dossier.organisationId, organisationId)))
    .orderBy(desc(campagneAap.annee), asc(dossier.numero));
  const ids = rows.map((r) => r.d.id);
  const lignes = ids.length ? await db.select().from(financement).where(inArray(financement.dossierId, ids)) : [];
  return rows.map((r) => ({
    ...r.d,
    campagne: r.c,
    demandeCentimes: lignes.filter((l) => l.dossierId === r.d.id && l.financeurId !== null).reduce((a, l) => a + l.demandeCentimes, 0),
  }));
}

/** The association's documents as their dates of validity (their content is not read here). */
export async function documentsDe(db: DbOrTx, contratId: string, organisationId: string): Promise<DocumentDate[]> {
  return db
    .select({ type: documentStructure.type, valideDu: documentStructure.valideDu, valideJusquAu: documentStructure.valideJusquAu, retireLe: documentStructure.retireLe })
    .from(documentStructure)
    .where(and(eq(documentStructure.contratId, contratId), eq(documentStructure.organisationId, organisationId)));
}

/** What stops this file from being submitted (or its complement from being sent) today: one rule for every route. */
export async function manquesPourDeposer(db: DbOrTx, d: DossierRow & { financements: FinancementRow[]; campagne: CampagneAapRow }, aujourdhui: string): Promise<Manque[]> {
  const [financeurs, [structure], documents] = await Promise.all([
    db.select({ id: financeurAap.id }).from(financeurAap).where(eq(financeurAap.campagneId, d.campagneId)),
    db.select({ siret: structure_.siret }).from(structure_).where(eq(structure_.organisationId, d.organisationId)),
    documentsDe(db, d.contratId, d.organisationId),
  ]);
  return ceQuiManque({ dossier: contenuDe(d), financements: d.financements.map(financementSaisi), campagne: d.campagne, financeurIds: financeurs.map((f) => f.id), structure, documents, aujourdhui });
}
