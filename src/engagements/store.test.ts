import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, openTestDatabase } from '../platform/db/testing.ts';
import type { Database } from '../platform/db/connect.ts';
import { auditLog } from '../platform/audit/schema.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { loadDefaultContrat } from '../defaults.ts';
import { campagneParAnnee, ficheParNumero, listerFiches, modifierCampagne, ouvrirCampagne, type CampagneRow, type FicheComplete } from './store.ts';
import { changerStatut, enregistrerFiche, type MesureSaisie } from './saisie-store.ts';

// The yearly campaign on the default contract (its 2015 campaign loaded from the bilan): opening the next
// one, filling a sheet in, the conflict of two people saving the same sheet, the steps of its life.

const DIRECTION: AuditActor = { id: null, label: 'direction@exemple.fr' };
const REFERENT: AuditActor = { id: null, label: 'referent@exemple.fr' };
const ECHEANCE = '2099-12-31';
const AVANT = '2099-06-01';
const APRES = '2100-01-05';

describeEachDatabase('engagements: the yearly campaign of monitoring sheets', (kind) => {
  let database: Database;
  let contratId: string;
  let c2016: CampagneRow;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    contratId = (await loadDefaultContrat(database.db)).id;
    const r = await ouvrirCampagne(database.db, DIRECTION, contratId, 2016, ECHEANCE);
    if (!r.ok) throw new Error(r.message);
    c2016 = r.campagne;
  });
  afterAll(() => database?.close());

  const db = () => database.db;
  const fiche = async (numero: number) => (await ficheParNumero(db(), c2016.id, numero))!;
  /** Every measure of the sheet, the first one with the given values, the others as they are. */
  const mesures = (f: FicheComplete, premiere: Partial<MesureSaisie>): MesureSaisie[] =>
    f.mesures.map((m, i) => ({ rang: m.rang, resultat: m.resultat, dateResultat: m.dateResultat, provisoire: m.provisoire, perimetre: m.perimetre, tauxDeclare: m.tauxDeclare, ...(i === 0 ? premiere : {}) }));
  const champs = { methodologie: null, analyse: null, pointsAlerte: null, ajustement: null };
  const enregistrer = (f: FicheComplete, premiere: Partial<MesureSaisie>, x: { versionLue?: number; aujourdhui?: string; analyse?: string } = {}) =>
    enregistrerFiche(db(), REFERENT, {
      contratId,
      ficheId: f.id,
      versionLue: x.versionLue ?? f.version,
      champs: { ...champs, analyse: x.analyse ?? null },
      mesures: mesures(f, premiere),
      aujourdhui: x.aujourdhui ?? AVANT,
    });
  const etape = (f: FicheComplete, e: 'soumettre' | 'valider' | 'renvoyer' | 'rouvrir', commentaire = '', aujourdhui = AVANT) =>
    changerStatut(db(), e === 'soumettre' ? REFERENT : DIRECTION, { contratId, ficheId: f.id, etape: e, commentaire, aujourdhui });
  const audits = (objectId: string) => db().select().from(auditLog).where(eq(auditLog.objectId, objectId)).orderBy(asc(auditLog.id));

  it('opens 2016 with the 2015 sheets carried over: same commitments, targets and organisations, results to fill in', async () => {
    const c2015 = (await campagneParAnnee(db(), contratId, 2015))!;
    const avant = await listerFiches(db(), c2015.id);
    const apres = await listerFiches(db(), c2016.id);
    expect(avant).toHaveLength(61);
    expect(apres).toHaveLength(61);
    expect(c2016).toMatchObject({ annee: 2016, echeance: ECHEANCE, close: false, publiee: false });
    for (const [i, f] of apres.entries()) {
      const ancienne = avant[i]!;
      expect(f).toMatchObject({ numero: ancienne.numero, titre: ancienne.titre, organisationId: ancienne.organisationId, engagementId: ancienne.engagementId, statut: 'a_remplir', version: 1 });
      expect(f.mesures.map((m) => [m.reference, m.cible, m.nature])).toEqual(ancienne.mesures.map((m) => [m.reference, m.cible, m.nature]));
      for (const m of f.mesures) expect(m).toMatchObject({ resultat: null, dateResultat: null, tauxDeclare: null, tauxCalcule: null, provisoire: false, perimetre: null });
    }
    // The 2015 sheets keep their printed results.
    expect(avant[0]!.mesures[0]).toMatchObject({ resultat: '20,3%(avril 2016)', tauxDeclare: '113%' });
    const [entree] = await audits(c2016.id);
    expect(entree).toMatchObject({ action: 'creation', objectType: 'campagne', actorLabel: DIRECTION.label, contratId });
  });

  it('refuses to open a year twice, in French, creating nothing', async () => {
    const r = await ouvrirCampagne(db(), DIRECTION, contratId, 2016, ECHEANCE);
    expect(r).toEqual({ ok: false, message: 'La campagne 2016 existe déjà.' });
    expect(await listerFiches(db(), c2016.id)).toHaveLength(61);
  });

  it('computes the rate and flags of a saved result, and audits the save with before and after', async () => {
    const f = await fiche(1);
    const r = await enregistrer(f, { resultat: '19,8 %', dateResultat: '2016-12-31', provisoire: true, perimetre: 'paris', tauxDeclare: '110 %' }, { analyse: 'Hausse des entrées.' });
    expect(r.ok).toBe(true);
    const apres = await fiche(1);
    expect(apres).toMatchObject({ version: 2, analyse: 'Hausse des entrées.', modifiePar: REFERENT.label, statut: 'a_remplir' });
    // 19,8 % against a target of 18 %: 110 %, as declared, so no flag.
    expect(apres.mesures[0]).toMatchObject({ resultat: '19,8 %', dateResultat: '2016-12-31', provisoire: true, perimetre: 'paris', tauxDeclare: '110 %', tauxCalcule: 110, alertes: [] });
    const journal = await audits(f.id);
    expect(journal).toHaveLength(1);
    expect(journal[0]).toMatchObject({ action: 'modification', objectType: 'fiche_suivi', actorLabel: REFERENT.label });
    expect((journal[0]!.after as { mesures: { resultat: string }[] }).mesures[0]!.resultat).toBe('19,8 %');
    expect((journal[0]!.before as { mesures: { resultat: string | null }[] }).mesures[0]!.resultat).toBeNull();
  });

  it('refuses a save made from a stale version: the current sheet comes back and nothing is written', async () => {
    const f = await fiche(4);
    expect((await enregistrer(f, { resultat: '25 %' })).ok).toBe(true);
    // A second person had opened version 1 too.
    const r = await enregistrer(f, { resultat: '30 %' }, { versionLue: 1 });
    expect(r.ok).toBe(false);
    if (r.ok || !('conflit' in r)) throw new Error('conflit attendu');
    expect(r.conflit).toMatchObject({ version: 2, modifiePar: REFERENT.label });
    expect(r.conflit.mesures[0]!.resultat).toBe('25 %');
    const apres = await fiche(4);
    expect(apres.version).toBe(2);
    expect(apres.mesures[0]!.resultat).toBe('25 %');
    expect(await audits(f.id)).toHaveLength(1);
  });

  it('takes a sheet from submission to validation, each step in its history and the journal; a submitted sheet is no longer editable', async () => {
    const f = await fiche(5);
    expect((await enregistrer(f, { resultat: '12 %' })).ok).toBe(true);
    expect(await etape(await fiche(5), 'soumettre')).toMatchObject({ ok: true, fiche: { statut: 'soumise' } });
    expect(await enregistrer(await fiche(5), { resultat: '13 %' })).toEqual({ ok: false, refus: 'statut' });
    expect(await etape(await fiche(5), 'valider')).toMatchObject({ ok: true, fiche: { statut: 'validee' } });
    const apres = await fiche(5);
    expect(apres.mesures[0]!.resultat).toBe('12 %');
    expect(apres.evenements.map((e) => [e.etape, e.de, e.vers, e.par])).toEqual([
      ['soumettre', 'a_remplir', 'soumise', REFERENT.label],
      ['valider', 'soumise', 'validee', DIRECTION.label],
    ]);
    expect((await audits(f.id)).map((a) => a.action)).toEqual(['modification', 'soumettre', 'valider']);
  });

  it('sends a sheet back only with a comment, which the partner then reads; the partner corrects and submits again', async () => {
    const f = await fiche(6);
    await etape(f, 'soumettre');
    expect(await etape(await fiche(6), 'renvoyer', '   ')).toEqual({ ok: false, refus: 'commentaire' });
    expect((await fiche(6)).statut).toBe('soumise');
    expect(await etape(await fiche(6), 'renvoyer', 'Le résultat manque.')).toMatchObject({ ok: true, fiche: { statut: 'renvoyee', commentaire: 'Le résultat manque.' } });
    expect((await enregistrer(await fiche(6), { resultat: '14 %' })).ok).toBe(true);
    expect(await etape(await fiche(6), 'soumettre')).toMatchObject({ ok: true, fiche: { statut: 'soumise' } });
    expect((await fiche(6)).evenements.map((e) => [e.etape, e.commentaire])).toEqual([
      ['soumettre', null],
      ['renvoyer', 'Le résultat manque.'],
      ['soumettre', null],
    ]);
  });

  it('locks entry after the deadline and when the campaign is closed, until the direction reopens the sheet', async () => {
    const f = await fiche(7);
    expect(await enregistrer(f, { resultat: '10 %' }, { aujourdhui: APRES })).toEqual({ ok: false, refus: 'echeance' });
    expect(await etape(f, 'soumettre', '', APRES)).toEqual({ ok: false, refus: 'echeance' });
    expect((await fiche(7)).version).toBe(1);

    await etape(f, 'soumettre');
    expect(await etape(await fiche(7), 'rouvrir', '', APRES)).toEqual({ ok: false, refus: 'commentaire' });
    expect(await etape(await fiche(7), 'rouvrir', 'Chiffre définitif attendu.', APRES)).toMatchObject({ ok: true, fiche: { statut: 'renvoyee', rouverte: true } });
    // Reopened: entry goes on past the deadline, and even with the campaign closed.
    await modifierCampagne(db(), DIRECTION, contratId, 2016, { close: true });
    try {
      expect((await enregistrer(await fiche(7), { resultat: '11 %' }, { aujourdhui: APRES })).ok).toBe(true);
      expect(await etape(await fiche(7), 'soumettre', '', APRES)).toMatchObject({ ok: true });
      expect(await etape(await fiche(7), 'valider', '', APRES)).toMatchObject({ ok: true, fiche: { statut: 'validee', rouverte: false } });
      // Another sheet of the closed campaign stays locked, deadline or not.
      expect(await enregistrer(await fiche(8), { resultat: '10 %' })).toEqual({ ok: false, refus: 'echeance' });
    } finally {
      await modifierCampagne(db(), DIRECTION, contratId, 2016, { close: false });
    }
    const campagneJournal = await db().select().from(auditLog).where(and(eq(auditLog.objectId, c2016.id), eq(auditLog.action, 'modification')));
    expect(campagneJournal.map((a) => (a.after as { close: boolean }).close)).toEqual([true, false]);
  });

  it('flags a result typed again on a sheet about another indicator, on both sheets, and lifts the flag once corrected', async () => {
    const copie = { resultat: '42,5 %', tauxDeclare: '85 %' };
    expect((await enregistrer(await fiche(9), copie)).ok).toBe(true);
    expect((await fiche(9)).mesures[0]!.alertes.map((a) => a.code)).not.toContain('resultat_copie');
    expect((await enregistrer(await fiche(10), copie)).ok).toBe(true);
    const [a, b] = [await fiche(9), await fiche(10)];
    expect(a.mesures[0]!.alertes).toContainEqual({ code: 'resultat_copie', message: 'Résultat identique à celui d’une autre fiche (fiche n° 10).' });
    expect(b.mesures[0]!.alertes).toContainEqual({ code: 'resultat_copie', message: 'Résultat identique à celui d’une autre fiche (fiche n° 9).' });
    expect((await enregistrer(await fiche(10), { resultat: '40 %', tauxDeclare: '80 %' })).ok).toBe(true);
    expect((await fiche(9)).mesures[0]!.alertes.map((x) => x.code)).not.toContain('resultat_copie');
    expect((await fiche(10)).mesures[0]!.alertes.map((x) => x.code)).not.toContain('resultat_copie');
  });

  it('keeps the printed values of a 2015 sheet reopened and corrected, and stops citing the document for the new figure', async () => {
    const c2015 = (await campagneParAnnee(db(), contratId, 2015))!;
    const imprimee = (await ficheParNumero(db(), c2015.id, 59))!;
    const lignes = imprimee.mesures[0]!.lignes!;
    expect(lignes.length).toBeGreaterThan(0);
    expect((await etape(imprimee, 'rouvrir', 'Chiffre corrigé par la CAF.', APRES)).ok).toBe(true);
    const rouverte = (await ficheParNumero(db(), c2015.id, 59))!;
    const r = await enregistrerFiche(db(), REFERENT, {
      contratId,
      ficheId: rouverte.id,
      versionLue: rouverte.version,
      champs,
      mesures: mesures(rouverte, { resultat: '900 accompagnements', tauxDeclare: '90%' }),
      aujourdhui: APRES,
    });
    expect(r.ok).toBe(true);
    const m = (await ficheParNumero(db(), c2015.id, 59))!.mesures[0]!;
    expect(m).toMatchObject({ resultat: '900 accompagnements', lignes: null, tauxCalcule: 90 });
    expect(m.note).toContain(`l. ${lignes.join(', ')}`);
    expect(m.note).toContain(`résultat « ${imprimee.mesures[0]!.resultat} »`);
    expect(m.note).toContain(`taux déclaré « ${imprimee.mesures[0]!.tauxDeclare} »`);
  });
});
