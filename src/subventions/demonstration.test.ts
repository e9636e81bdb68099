import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { describeEachDatabase, openTestDatabase } from '../platform/db/testing.ts';
import type { Database } from '../platform/db/connect.ts';
import { auditLog } from '../platform/audit/schema.ts';
import { ensureContrat } from '../platform/tenancy/store.ts';
import { noeud, organisation } from '../contrat/schema.ts';
import { territoire, territoireLien } from '../territoires/schema.ts';
import { loadDefaultContrat, SYSTEM } from '../defaults.ts';
import { annotationDossier, avisFinanceur, campagneAap, dossier, dossierEvenement, financement, financeurAap, groupeInstruction, messageDossier, structure } from './schema.ts';
import { equilibreBudget, erreurRna, erreurSiret, etatCampagne, STATUTS_DOSSIER, TRANSITIONS_DOSSIER, type StatutDossier } from './model.ts';
import { aujourdhuiParis } from './acces.ts';
import { chargerDemonstration } from './demonstration.ts';
import { calendrier, horloge, lireDemonstration, statutApres } from './demonstration-donnees.ts';

const DEMO_ASSOCIATION = 'Association de démonstration (fictive)';

describe('the demonstration calendar', () => {
  it('opens next year’s call on the first day of the current Paris month for three months', () => {
    expect(calendrier({ annee: null, ouverture: null, cloture: null }, new Date('2026-12-15T12:00:00Z'))).toEqual({ annee: 2027, ouverture: '2026-12-01', cloture: '2027-02-28' });
    // 23:30 UTC on 31 January is already 1 February in Paris.
    expect(calendrier({ annee: null, ouverture: null, cloture: null }, new Date('2027-01-31T23:30:00Z'))).toEqual({ annee: 2028, ouverture: '2027-02-01', cloture: '2027-04-30' });
  });

  it('keeps the fixed dates of a closed campaign', () => {
    expect(calendrier({ annee: 2020, ouverture: '2019-10-01', cloture: '2019-11-30' }, new Date())).toEqual({ annee: 2020, ouverture: '2019-10-01', cloture: '2019-11-30' });
  });

  it('dates a closed campaign’s steps on Paris clocks, summer time included', () => {
    const le = horloge('2019-10-01', [], new Date(), false);
    expect(le({ jour: 0, heure: '10:00' }).toISOString()).toBe('2019-10-01T08:00:00.000Z');
    expect(le({ jour: 28, heure: '18:40' }).toISOString()).toBe('2019-10-29T17:40:00.000Z');
  });

  it('squeezes the open campaign’s steps, in order, between its opening and the installation', () => {
    const { dossiers } = lireDemonstration().campagnes.find((c) => c.annee === null)!;
    const installation = new Date('2026-11-30T23:30:00Z'); // 1 December, 00:30 in Paris
    const le = horloge('2026-12-01', dossiers, installation, true);
    for (const d of dossiers) {
      const dates = d.etapes.map((e) => le(e).getTime());
      expect(dates).toEqual([...dates].sort((a, b) => a - b));
      expect(dates.every((t) => t >= Date.parse('2026-11-30T23:00:00Z') && t <= installation.getTime())).toBe(true);
    }
  });

  it('names the step that does not follow the transition table', () => {
    expect(statutApres([{ etape: 'deposer' }, { etape: 'instruire' }, { etape: 'proposer' }, { etape: 'accepter' }])).toBe('accepte');
    expect(statutApres([{ etape: 'deposer' }, { etape: 'proposer' }])).toBe('« proposer » ne part pas de « depose »');
  });
});

describeEachDatabase('demonstration call for projects', (kind) => {
  let database: Database;
  let contratId: string;
  let campagnes: (typeof campagneAap.$inferSelect)[];
  let dossiers: (typeof dossier.$inferSelect)[];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    contratId = (await loadDefaultContrat(database.db)).id;
    campagnes = await database.db.select().from(campagneAap).where(eq(campagneAap.contratId, contratId)).orderBy(asc(campagneAap.annee));
    dossiers = await database.db.select().from(dossier).where(eq(dossier.contratId, contratId));
  }, 120_000);
  afterAll(async () => {
    await database.close();
  });

  it('ships a closed 2020 campaign and next year’s campaign, open today', () => {
    const annee = Number(aujourdhuiParis().slice(0, 4)) + 1;
    expect(campagnes.map((c) => [c.annee, c.titre])).toEqual([
      [2020, 'Appel à projets 2020 (démonstration)'],
      [annee, `Appel à projets ${annee} (démonstration)`],
    ]);
    expect(campagnes.every((c) => c.demonstration)).toBe(true);
    expect(etatCampagne(campagnes[0]!, aujourdhuiParis())).toBe('close');
    expect(etatCampagne(campagnes[1]!, aujourdhuiParis())).toBe('ouverte');
    expect(campagnes[1]!.ouverture).toBe(`${aujourdhuiParis().slice(0, 7)}-01`);
  });

  it('funds real priorities of the three axes in every QPV of the contract and its quartiers de veille active', async () => {
    const priorites = await database.db.select({ ref: noeud.ref }).from(noeud).where(and(eq(noeud.contratId, contratId), eq(noeud.niveau, 'priorite')));
    const refs = new Set(priorites.map((p) => p.ref));
    const quartiers = await database.db.select().from(territoire).where(and(eq(territoire.contratId, contratId), inArray(territoire.type, ['qpv', 'qva'])));
    for (const c of campagnes) {
      expect(c.prioriteRefs.filter((r) => !refs.has(r))).toEqual([]);
      expect(new Set(c.prioriteRefs.map((r) => r[0]))).toEqual(new Set(['1', '2', '3']));
      expect(new Set(c.territoireIds)).toEqual(new Set(quartiers.map((q) => q.id)));
    }
    expect(quartiers.filter((q) => q.type === 'qpv')).toHaveLength(20);
    for (const d of dossiers) {
      const campagne = campagnes.find((c) => c.id === d.campagneId)!;
      expect(d.noeudRefs.filter((r) => !campagne.prioriteRefs.includes(r))).toEqual([]);
      expect(d.territoireIds.length).toBeGreaterThan(0);
      expect(d.territoireIds.filter((t) => !campagne.territoireIds.includes(t))).toEqual([]);
      expect(campagne.thematiques).toContain(d.thematique);
    }
  });

  it('names three funders per campaign, with a SIRET only where a source gives one', async () => {
    const financeurs = await database.db.select().from(financeurAap).where(eq(financeurAap.contratId, contratId));
    expect(financeurs).toHaveLength(6);
    for (const f of financeurs) if (f.siret) expect(erreurSiret(f.siret)).toBeNull();
    const sources = lireDemonstration().campagnes.flatMap((c) => c.financeurs);
    expect(sources.filter((f) => f.siret).every((f) => f.source.includes('SIRE'))).toBe(true);
    expect(financeurs.every((f) => f.organisationId && f.enveloppeCentimes > 0)).toBe(true);
    const groupes = await database.db.select().from(groupeInstruction).where(eq(groupeInstruction.contratId, contratId));
    expect(groupes.filter((g) => g.campagneId === campagnes[0]!.id).flatMap((g) => g.territoireIds).sort()).toEqual([...campagnes[0]!.territoireIds].sort());
  });

  it('shows every state of a file, the closed campaign’s files all decided', () => {
    expect(new Set(dossiers.map((d) => d.statut))).toEqual(new Set(STATUTS_DOSSIER));
    const decides: string[] = ['accepte', 'refuse', 'sans_suite'];
    const closes = dossiers.filter((d) => d.campagneId === campagnes[0]!.id);
    expect(closes.every((d) => decides.includes(d.statut) && d.decideLe)).toBe(true);
    expect(closes.filter((d) => d.statut !== 'accepte').every((d) => d.decisionMotif)).toBe(true);
    expect(dossiers.filter((d) => d.campagneId === campagnes[1]!.id).every((d) => !decides.includes(d.statut))).toBe(true);
  });

  it('balances the budget of every file past the draft, and records what was proposed and granted', async () => {
    const lignes = await database.db.select().from(financement).where(eq(financement.contratId, contratId));
    for (const d of dossiers.filter((x) => x.statut !== 'brouillon')) {
      const financements = lignes.filter((l) => l.dossierId === d.id);
      const produits = [...d.autresProduits, ...financements.map((f) => ({ compte: '74', libelle: f.libelle, montantCentimes: f.demandeCentimes }))];
      expect(equilibreBudget({ charges: d.charges, produits }).problemes, d.titre).toEqual([]);
      const campagne = financements.filter((f) => f.financeurId);
      if (['propose', 'accepte', 'refuse'].includes(d.statut)) expect(campagne.every((f) => f.proposeCentimes !== null), d.titre).toBe(true);
      if (d.statut === 'accepte') expect(campagne.every((f) => f.accordeCentimes !== null && f.accordeCentimes > 0), d.titre).toBe(true);
      else expect(financements.every((f) => f.accordeCentimes === null), d.titre).toBe(true);
    }
  });

  it('dates each file’s steps in the order of the transition table, from the draft to its state, never in the future', async () => {
    const evenements = await database.db.select().from(dossierEvenement).where(inArray(dossierEvenement.dossierId, dossiers.map((d) => d.id))).orderBy(asc(dossierEvenement.le));
    const apres = new Date();
    for (const d of dossiers) {
      const suite = evenements.filter((e) => e.dossierId === d.id);
      let statut: StatutDossier = 'brouillon';
      for (const e of suite) {
        const t = TRANSITIONS_DOSSIER[e.etape as keyof typeof TRANSITIONS_DOSSIER];
        expect(t.de, `${d.titre} : ${e.etape}`).toContain(statut);
        expect([e.de, e.vers]).toEqual([statut, t.vers]);
        expect(e.le.getTime()).toBeLessThanOrEqual(apres.getTime());
        statut = t.vers;
      }
      expect(statut, d.titre).toBe(d.statut);
      if (d.statut !== 'brouillon') expect(d.deposeLe?.getTime()).toBe(suite[0]!.le.getTime());
    }
    const ouverts = evenements.filter((e) => dossiers.find((d) => d.id === e.dossierId)!.campagneId === campagnes[1]!.id);
    expect(ouverts.every((e) => aujourdhuiParis(e.le) >= campagnes[1]!.ouverture)).toBe(true);
  });

  it('gives instructors opinions per funder, private notes and messages to work with', async () => {
    const ids = dossiers.map((d) => d.id);
    const avis = await database.db.select().from(avisFinanceur).where(inArray(avisFinanceur.dossierId, ids));
    const annotations = await database.db.select().from(annotationDossier).where(inArray(annotationDossier.dossierId, ids));
    const messages = await database.db.select().from(messageDossier).where(inArray(messageDossier.dossierId, ids));
    const statutDe = (id: string) => dossiers.find((d) => d.id === id)!.statut;
    expect(new Set(avis.map((a) => a.avis))).toEqual(new Set(['favorable', 'reserve', 'defavorable']));
    expect(avis.map((a) => statutDe(a.dossierId))).toContain('en_instruction');
    expect(annotations.map((a) => statutDe(a.dossierId))).toContain('en_instruction');
    expect(messages.filter((m) => m.cote === 'instruction').map((m) => statutDe(m.dossierId))).toContain('complement_demande');
    expect(messages.map((m) => m.cote)).toContain('association');
  });

  it('marks every association as fictitious, with identifiers of a valid format', async () => {
    const rows = await database.db
      .select({ nom: organisation.nom, s: structure })
      .from(structure)
      .innerJoin(organisation, eq(organisation.id, structure.organisationId))
      .where(inArray(structure.organisationId, [...new Set(dossiers.map((d) => d.organisationId))]));
    expect(rows).toHaveLength(new Set(dossiers.map((d) => d.organisationId)).size);
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const { nom, s } of rows) {
      expect(nom).toMatch(/ \(fictive\)$/);
      expect(s.fictive).toMatch(/fictive/);
      expect(erreurSiret(s.siret), nom).toBeNull();
      expect(erreurRna(s.rna!), nom).toBeNull();
      expect(s.courriel).toMatch(/@example\.org$/);
      expect(s.representants.every((r) => r.courriel.endsWith('@example.org'))).toBe(true);
      expect(s.localisation).toMatchObject({ statut: 'qpv' });
    }
    expect(new Set(rows.map((r) => r.s.siret)).size).toBe(rows.length);
  });

  it('gives the development demo association a decided 2020 file and a draft duplicated from it', async () => {
    const [demo] = await database.db.select().from(organisation).where(and(eq(organisation.contratId, contratId), eq(organisation.nom, DEMO_ASSOCIATION)));
    const siens = dossiers.filter((d) => d.organisationId === demo!.id);
    const decide = siens.find((d) => d.campagneId === campagnes[0]!.id);
    const brouillon = siens.find((d) => d.campagneId === campagnes[1]!.id);
    expect(decide).toMatchObject({ statut: 'accepte' });
    expect(brouillon).toMatchObject({ statut: 'brouillon', dupliqueDeId: decide!.id });
  });

  it('puts several files to instruct in the QPV of the 18th arrondissement, the demo agent’s scope', async () => {
    const [arr18] = await database.db.select().from(territoire).where(and(eq(territoire.contratId, contratId), eq(territoire.code, '75118')));
    const qpv18 = new Set((await database.db.select().from(territoireLien).where(eq(territoireLien.parentId, arr18!.id))).map((l) => l.enfantId));
    const du18 = dossiers.filter((d) => d.territoireIds.some((t) => qpv18.has(t)));
    expect(du18.length).toBeGreaterThanOrEqual(5);
    expect(new Set(du18.filter((d) => d.campagneId === campagnes[1]!.id).map((d) => d.statut))).toEqual(new Set(['brouillon', 'en_instruction', 'complement_demande', 'propose']));
  });

  it('is loaded once: loading the default again changes nothing', async () => {
    const tables = [campagneAap, financeurAap, groupeInstruction, structure, dossier, financement, avisFinanceur, annotationDossier, messageDossier, dossierEvenement, organisation, auditLog] as const;
    const compte = async () => Promise.all(tables.map(async (t) => (await database.db.select({ n: count() }).from(t))[0]!.n));
    const avantRechargement = await compte();
    await loadDefaultContrat(database.db);
    await loadDefaultContrat(database.db);
    expect(await compte()).toEqual(avantRechargement);
  });

  it('writes one audit entry per created campaign, profile and file, as the installation', async () => {
    const entrees = await database.db.select().from(auditLog).where(and(eq(auditLog.contratId, contratId), inArray(auditLog.objectType, ['campagne_aap', 'structure', 'dossier'])));
    expect(entrees.filter((e) => e.objectType === 'campagne_aap')).toHaveLength(2);
    expect(entrees.filter((e) => e.objectType === 'dossier')).toHaveLength(dossiers.length);
    expect(entrees.every((e) => e.actorLabel === SYSTEM.label)).toBe(true);
  });

  it('leaves a contract alone when a real campaign holds one of its years', async () => {
    const autre = await ensureContrat(database.db, SYSTEM, { slug: 'essai-demo', nom: 'Contrat d’essai', territoire: 'Essai', debut: '2015-01-01', fin: '2020-12-31', source: 'essai' }, false);
    await database.db.insert(campagneAap).values({ contratId: autre.id, annee: 2020, titre: 'Appel à projets 2020', ouverture: '2019-10-01', cloture: '2019-11-30' });
    const r = await chargerDemonstration(database.db, SYSTEM, autre.id, { quartiers: new Map(), organisations: async () => new Map() });
    expect(r).toMatchObject({ chargee: false, dossiers: 0 });
    expect(r.raison).toContain('2020');
    expect(await database.db.select().from(dossier).where(eq(dossier.contratId, autre.id))).toEqual([]);
  });
});
