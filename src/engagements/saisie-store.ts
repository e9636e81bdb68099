import { and, asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../platform/db/connect.ts';
import { recordAudit } from '../platform/audit/store.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { campagne, ficheEvenement, ficheSuivi, mesure } from './schema.ts';
import { etapePossible, TRANSITIONS_FICHE, type EtapeFiche, type NatureCible, type RefusEtape, type Sens, type StatutFiche } from './model.ts';
import { calculerMesure, marquerCopies, type MesureCalculee } from './preparation.ts';
import { fichesCompletes, versLigneMesure, type FicheComplete, type FicheRow, type MesureRow } from './store.ts';

// A sheet of a campaign being filled in, submitted, validated: every write guarded by the sheet's version
// under a row lock, checked against the transition table, its rates and flags recomputed, audited.

export type ChampsFiche = Pick<FicheRow, 'methodologie' | 'analyse' | 'pointsAlerte' | 'ajustement'>;
export type MesureSaisie = { rang: number; resultat: string | null; dateResultat: string | null; provisoire: boolean; perimetre: string | null; tauxDeclare: string | null };
export type ResultatEcriture = { ok: true; fiche: FicheRow } | { ok: false; conflit: FicheComplete } | { ok: false; refus: RefusEtape };

/**
 * Saves a draft of a sheet. `versionLue` is the version the person started from: if someone saved the
 * sheet since, nothing is written and the current sheet comes back, so that both versions can be compared.
 */
export async function enregistrerFiche(
  db: Db,
  by: AuditActor,
  x: { contratId: string; ficheId: string; versionLue: number; champs: ChampsFiche; mesures: MesureSaisie[]; aujourdhui: string },
): Promise<ResultatEcriture> {
  return db.transaction(async (tx) => {
    const avant = await verrouiller(tx, x.contratId, x.ficheId);
    if (!avant) return { ok: false, refus: 'statut' };
    if (avant.fiche.version !== x.versionLue) return { ok: false, conflit: { ...avant.fiche, mesures: avant.mesures, organisationParentId: null } };
    const refus = etapePossible('enregistrer', { statut: avant.fiche.statut as StatutFiche, rouverte: avant.fiche.rouverte }, avant.campagne, x.aujourdhui, '');
    if (refus) return { ok: false, refus };
    const [fiche] = await tx
      .update(ficheSuivi)
      .set({ ...x.champs, version: avant.fiche.version + 1, modifieLe: new Date(), modifiePar: by.label })
      .where(eq(ficheSuivi.id, x.ficheId))
      .returning();
    for (const s of x.mesures) {
      const m = avant.mesures.find((a) => a.rang === s.rang);
      if (!m) continue;
      // A figure printed in a document and changed here no longer comes from that document: the citation
      // gives way to a note that keeps the printed values.
      const change = m.lignes?.length && (s.resultat !== m.resultat || s.tauxDeclare !== m.tauxDeclare);
      const lignes = change ? null : m.lignes;
      const note = change ? noteModification(m, avant.fiche.source?.document ?? null) : m.note;
      const calc = calculerMesure({ ...m, nature: m.nature as NatureCible, sens: m.sens as Sens, engagementRef: '', ...s, lignes, note }, avant.fiche.colonnes);
      await tx
        .update(mesure)
        .set({ ...s, lignes, note, tauxCalcule: calc.tauxCalcule, formule: calc.formule, raison: calc.raison, alertes: calc.alertes })
        .where(eq(mesure.id, m.id));
    }
    await recalculerCopies(tx, avant.fiche.campagneId);
    const apres = await tx.select().from(mesure).where(eq(mesure.ficheId, x.ficheId)).orderBy(asc(mesure.rang));
    await recordAudit(tx, by, {
      action: 'modification',
      objectType: 'fiche_suivi',
      objectId: x.ficheId,
      objectLabel: `Fiche n° ${avant.fiche.numero} — ${avant.fiche.titre}`,
      contratId: x.contratId,
      before: { ...avant.fiche, mesures: avant.mesures },
      after: { ...fiche, mesures: apres },
    });
    return { ok: true, fiche: fiche! };
  });
}

/** Submits, validates, sends back or reopens a sheet, as the transition table allows. */
export async function changerStatut(
  db: Db,
  by: AuditActor,
  x: { contratId: string; ficheId: string; etape: Exclude<EtapeFiche, 'enregistrer'>; commentaire: string; aujourdhui: string; versionLue?: number },
): Promise<ResultatEcriture> {
  return db.transaction(async (tx) => {
    const avant = await verrouiller(tx, x.contratId, x.ficheId);
    if (!avant) return { ok: false, refus: 'statut' };
    if (x.versionLue !== undefined && avant.fiche.version !== x.versionLue) return { ok: false, conflit: { ...avant.fiche, mesures: avant.mesures, organisationParentId: null } };
    const refus = etapePossible(x.etape, { statut: avant.fiche.statut as StatutFiche, rouverte: avant.fiche.rouverte }, avant.campagne, x.aujourdhui, x.commentaire);
    if (refus) return { ok: false, refus };
    const t = TRANSITIONS_FICHE[x.etape];
    const vers = t.vers!;
    const rouverte = x.etape === 'rouvrir' ? true : x.etape === 'valider' ? false : avant.fiche.rouverte;
    const commentaire = t.commentaire ? x.commentaire.trim() : avant.fiche.commentaire;
    const [fiche] = await tx
      .update(ficheSuivi)
      .set({ statut: vers, rouverte, commentaire, version: avant.fiche.version + 1, modifieLe: new Date(), modifiePar: by.label })
      .where(eq(ficheSuivi.id, x.ficheId))
      .returning();
    await tx.insert(ficheEvenement).values({ ficheId: x.ficheId, etape: x.etape, de: avant.fiche.statut, vers, commentaire: x.commentaire.trim() || null, par: by.label });
    await recordAudit(tx, by, {
      action: x.etape,
      objectType: 'fiche_suivi',
      objectId: x.ficheId,
      objectLabel: `Fiche n° ${avant.fiche.numero} — ${avant.fiche.titre}`,
      contratId: x.contratId,
      before: avant.fiche,
      after: fiche,
    });
    return { ok: true, fiche: fiche! };
  });
}

/**
 * Adds a measure to a sheet being filled in: the same commitment and target as the sheet's last measure,
 * to report it again for another scope (Paris, the QPV) or another date. Guarded by the version like a save.
 */
export async function ajouterMesure(db: Db, by: AuditActor, x: { contratId: string; ficheId: string; versionLue: number; aujourdhui: string }): Promise<ResultatEcriture> {
  return db.transaction(async (tx) => {
    const avant = await verrouiller(tx, x.contratId, x.ficheId);
    if (!avant) return { ok: false, refus: 'statut' };
    if (avant.fiche.version !== x.versionLue) return { ok: false, conflit: { ...avant.fiche, mesures: avant.mesures, organisationParentId: null } };
    const refus = etapePossible('enregistrer', { statut: avant.fiche.statut as StatutFiche, rouverte: avant.fiche.rouverte }, avant.campagne, x.aujourdhui, '');
    if (refus) return { ok: false, refus };
    const modele = avant.mesures.at(-1);
    if (!modele) return { ok: false, refus: 'statut' };
    const rang = modele.rang + 1;
    const calc = calculerMesure(
      { rang, engagementRef: '', sousMesure: null, libelle: modele.libelle, nature: modele.nature as NatureCible, sens: modele.sens as Sens, reference: modele.reference, cible: modele.cible, resultat: null, dateResultat: null, tauxDeclare: null, lignes: null, note: null },
      avant.fiche.colonnes,
    );
    const [ajoutee] = await tx.insert(mesure).values(versLigneMesure(x.ficheId, calc, modele.engagementId)).returning();
    const [fiche] = await tx.update(ficheSuivi).set({ version: avant.fiche.version + 1, modifieLe: new Date(), modifiePar: by.label }).where(eq(ficheSuivi.id, x.ficheId)).returning();
    await recordAudit(tx, by, { action: 'creation', objectType: 'mesure', objectId: ajoutee!.id, objectLabel: `Fiche n° ${avant.fiche.numero}, mesure ${rang}`, contratId: x.contratId, after: ajoutee });
    return { ok: true, fiche: fiche! };
  });
}

function noteModification(m: MesureRow, document: string | null): string {
  const imprime = `résultat « ${m.resultat ?? '—'} », taux déclaré « ${m.tauxDeclare ?? '—'} »`;
  return `Modifiée dans Pilotis. Valeurs imprimées (document ${document ?? '?'}, l. ${m.lignes!.join(', ')}) : ${imprime}.${m.note ? ` ${m.note}` : ''}`;
}

async function verrouiller(tx: Tx, contratId: string, ficheId: string) {
  const [fiche] = await tx.select().from(ficheSuivi).where(and(eq(ficheSuivi.id, ficheId), eq(ficheSuivi.contratId, contratId))).for('update');
  if (!fiche) return null;
  const [camp] = await tx.select().from(campagne).where(eq(campagne.id, fiche.campagneId));
  const mesures = await tx.select().from(mesure).where(eq(mesure.ficheId, ficheId)).orderBy(asc(mesure.rang));
  return { fiche, campagne: camp!, mesures };
}

/** A result typed again somewhere else is flagged on every sheet concerned: recomputed across the campaign. */
async function recalculerCopies(tx: Tx, campagneId: string): Promise<void> {
  const fiches = await fichesCompletes(tx, campagneId);
  const enCalcul = fiches.map((f) => ({
    numero: f.numero,
    indicateur: f.indicateur,
    objectif: f.objectif,
    mesures: f.mesures.map((m) => ({ ...m, engagementRef: m.id, nature: m.nature as NatureCible, sens: m.sens as Sens, tauxCalcule: m.tauxCalcule, formule: m.formule ?? '', alertes: m.alertes as MesureCalculee['alertes'] })),
  }));
  const marquees = marquerCopies(enCalcul);
  for (const [i, f] of marquees.entries()) {
    for (const [j, m] of f.mesures.entries()) {
      const avant = fiches[i]!.mesures[j]!;
      if (JSON.stringify(avant.alertes) !== JSON.stringify(m.alertes)) await tx.update(mesure).set({ alertes: m.alertes }).where(eq(mesure.id, avant.id));
    }
  }
}

