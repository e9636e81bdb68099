import ExcelJS from 'exceljs';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { auditLog } from '../platform/audit/schema.ts';
import { listTerritoires } from '../territoires/store.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/app.ts';
import { decodeEntities, tags } from '../../test/html.ts';
import { TestClient } from '../../test/http-client.ts';
import { creerAssociation, creerCampagneComite, creerDossiers, type CampagneComite } from '../../test/comite-campagne.ts';
import { textesPdf } from '../../test/pdf-texte.ts';
import { dossier, dossierEvenement, financement } from './schema.ts';

// The programming committee over HTTP: who may see the table, the totals it shows, the batch decision
// (all or nothing, audited), the decision letter an association downloads, the XLSX export.

const URL_PROG = '/appels-a-projets/2019/programmation';

function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
  return decodeEntities(main.replace(/<svg[\s\S]*?<\/svg>/g, ' ').replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ');
}

function rows(html: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decodeEntities(c[1]!.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim()),
  );
}

const valeur = (html: string, name: string) => tags(html).find((t) => t.name === 'input' && t.attrs.name === name)?.attrs.value;

describeEachDatabase('subventions: the programming committee', (kind) => {
  let t: TestApp;
  let c: CampagneComite;
  let qpv: { id: string; nom: string }[];
  let assoA: string;
  let assoB: string;
  let ids: string[];

  async function client(email: string): Promise<TestClient> {
    const cl = new TestClient(t.app);
    await cl.signIn(email, TEST_PASSWORD);
    return cl;
  }
  const statuts = async () => (await t.database.db.select({ id: dossier.id, statut: dossier.statut }).from(dossier).where(inArray(dossier.id, ids))).map((d) => [ids.indexOf(d.id), d.statut]).sort();
  const accordes = async (id: string) => (await t.database.db.select({ a: financement.accordeCentimes }).from(financement).where(eq(financement.dossierId, id)).orderBy(financement.ordre)).map((r) => r.a);

  beforeAll(async () => {
    t = await startTestApp(kind);
    const db = t.database.db;
    qpv = (await listTerritoires(db, t.contrat.id, { type: 'qpv', geographie: '2015' })).slice(0, 2);
    c = await creerCampagneComite(db, t.contrat.id, {
      annee: 2019,
      territoireIds: qpv.map((q) => q.id),
      thematiques: ['Éducation', 'Emploi'],
      financeurs: [
        { code: 'etat', nom: 'État (programme 147)', enveloppe: 10_000_00, service: 'Préfecture de Paris — DDCS' },
        { code: 'ville', nom: 'Ville de Paris', enveloppe: 5_000_00, service: 'DDCT — Service politique de la ville' },
      ],
    });
    assoA = await creerAssociation(db, t.contrat.id, 'Les Ateliers du Nord');
    assoB = await creerAssociation(db, t.contrat.id, 'Élan Solidaire', { fictive: true });
    await accountWithRole(t, 'direction@exemple.fr', 'direction_projet');
    await accountWithRole(t, 'agent@exemple.fr', 'agent_territorial', { kind: 'territoire', ref: qpv[0]!.id });
    await accountWithRole(t, 'asso-a@exemple.fr', 'association', { kind: 'organisation', ref: assoA });
    await accountWithRole(t, 'asso-b@exemple.fr', 'association', { kind: 'organisation', ref: assoB });
  });
  afterAll(() => t?.close());

  beforeEach(async () => {
    const db = t.database.db;
    // Each test starts from the same four files; those of the previous test are taken out of the campaign.
    const anciens = await db.select({ id: dossier.id }).from(dossier).where(eq(dossier.campagneId, c.id));
    if (anciens.length) {
      const a = anciens.map((x) => x.id);
      await db.delete(financement).where(inArray(financement.dossierId, a));
      await db.delete(dossierEvenement).where(inArray(dossierEvenement.dossierId, a));
      await db.delete(dossier).where(inArray(dossier.id, a));
    }
    ids = await creerDossiers(db, c, [
      { organisationId: assoA, titre: 'Réussite éducative', statut: 'propose', territoireIds: [qpv[0]!.id, qpv[1]!.id], noeudRefs: ['1.1.1/P1'], thematique: 'Éducation', montants: [{ financeur: 'etat', demande: 3_000_00, propose: 2_500_00 }, { financeur: 'ville', demande: 1_000_00, propose: 1_000_00 }, { financeur: null, demande: 500_00 }] },
      { organisationId: assoB, titre: 'Chantier jeunes', statut: 'propose', territoireIds: [qpv[1]!.id], noeudRefs: ['1.2.1'], thematique: 'Emploi', montants: [{ financeur: 'etat', demande: 9_000_00, propose: 8_000_00 }] },
      { organisationId: assoA, titre: 'Fête de quartier', statut: 'accepte', territoireIds: [qpv[0]!.id], noeudRefs: ['2.1.1'], thematique: null, montants: [{ financeur: 'ville', demande: 2_000_00, propose: 2_000_00, accorde: 1_500_00 }] },
      { organisationId: assoB, titre: 'Atelier couture', statut: 'en_instruction', territoireIds: [qpv[0]!.id], montants: [{ financeur: 'etat', demande: 700_00 }] },
    ]);
  });

  it('is the direction’s: another role gets 403, an anonymous visitor is sent to sign in', async () => {
    for (const email of ['agent@exemple.fr', 'asso-a@exemple.fr']) {
      const cl = await client(email);
      expect((await cl.get(URL_PROG)).statusCode).toBe(403);
      expect((await cl.get(`${URL_PROG}.xlsx`)).statusCode).toBe(403);
      expect((await cl.post(`${URL_PROG}/decisions`, { dossiers: ids[0]!, decision: 'accepter', [`v-${ids[0]}`]: '1' })).statusCode).toBe(403);
    }
    expect(await statuts()).toEqual([[0, 'propose'], [1, 'propose'], [2, 'accepte'], [3, 'en_instruction']]);
    const anonyme = await t.app.inject({ url: URL_PROG });
    expect(anonyme.statusCode).toBe(302);
    expect(anonyme.headers.location).toContain('/connexion');
  });

  it('shows the proposed files with their amounts, the envelopes and the totals per QPV, axe and thématique', async () => {
    const cl = await client('direction@exemple.fr');
    const res = await cl.get(URL_PROG);
    expect(res.statusCode).toBe(200);
    const table = rows(res.body, 'tableau-programmation');
    expect(table.map((r) => r[1])).toEqual(['2019-0001', '2019-0002']);
    expect(table[1]![2]).toBe('Élan Solidaire fictive');
    expect(table[0]![5]).toBe(`${qpv[0]!.nom}, ${qpv[1]!.nom}`);
    expect(table[0]![6]).toBe('Axe 1');
    expect(res.body).toContain('<abbr title="Axe 1 — Accompagner les parcours et prévenir les ruptures">');
    // The granted input is prefilled with the proposed amount.
    expect(valeur(res.body, `v-${ids[0]}`)).toBe('1');
    const lignesA = await t.database.db.select().from(financement).where(eq(financement.dossierId, ids[0]!)).orderBy(financement.ordre);
    expect(valeur(res.body, `a-${lignesA[0]!.id}`)).toBe('2500');

    // Envelopes count the whole campaign's grants: the Ville granted 1 500 € on the accepted file.
    const financeurs = rows(res.body, 'totaux-financeurs');
    expect(financeurs[0]).toEqual(['État (programme 147)', '2', '12 000,00 €', '10 500,00 €', '0,00 €', '10 000,00 €', '0,00 €', '10 000,00 €', '10 500,00 €']);
    expect(financeurs[1]).toEqual(['Ville de Paris', '1', '1 000,00 €', '1 000,00 €', '0,00 €', '5 000,00 €', '1 500,00 €', '3 500,00 €', '1 000,00 €']);
    const text = mainText(res.body);
    expect(text).toContain('État (programme 147) : si les propositions en attente (10 500,00 €) étaient accordées, l’enveloppe de 10 000,00 € serait dépassée de 500,00 €.');
    expect(res.body).toContain('data-barre="Ville de Paris : accordé"');

    // The file in two QPV counts in each; the other co-funder (500 €) in none.
    const parQpv = new Map(rows(res.body, 'totaux-qpv').map((r) => [r[0], r.slice(1)]));
    expect(parQpv.get(qpv[0]!.nom)).toEqual(['1', '4 000,00 €', '3 500,00 €', '0,00 €']);
    expect(parQpv.get(qpv[1]!.nom)).toEqual(['2', '13 000,00 €', '11 500,00 €', '0,00 €']);
    expect(text).toContain('compte dans le total de chacun');
    expect(rows(res.body, 'totaux-axe').map((r) => r[0])).toEqual(['Axe 1 — Accompagner les parcours et prévenir les ruptures']);
    expect(rows(res.body, 'totaux-thematique').map((r) => r[0])).toEqual(['Éducation', 'Emploi']);
  });

  it('filters by state, funder, QPV, axe, thématique and text', async () => {
    const cl = await client('direction@exemple.fr');
    const refs = async (q: string) => rows((await cl.get(`${URL_PROG}?${q}`)).body, 'tableau-programmation').map((r) => r[1]);
    expect(await refs('statut=propose&statut=accepte&statut=en_instruction')).toEqual(['2019-0001', '2019-0002', '2019-0003', '2019-0004']);
    expect(await refs(`statut=propose&statut=accepte&financeur=${c.financeurs[1]!.id}`)).toEqual(['2019-0001', '2019-0003']);
    expect(await refs(`statut=en_instruction&statut=accepte&qpv=${qpv[0]!.id}`)).toEqual(['2019-0003', '2019-0004']);
    expect(await refs('statut=accepte&statut=propose&axe=2')).toEqual(['2019-0003']);
    expect(await refs('thematique=Emploi')).toEqual(['2019-0002']);
    expect(await refs('texte=ateliers')).toEqual(['2019-0001']);
    expect((await cl.get(`${URL_PROG}?statut=brouillon`)).statusCode).toBe(400);
  });

  it('accepts a selection with the amounts typed, dated, with one audit entry per change', async () => {
    const cl = await client('direction@exemple.fr');
    const page = await cl.get(URL_PROG);
    const [l1, l2] = [await t.database.db.select().from(financement).where(eq(financement.dossierId, ids[0]!)).orderBy(financement.ordre), await t.database.db.select().from(financement).where(eq(financement.dossierId, ids[1]!))];
    const res = await cl.post(`${URL_PROG}/decisions`, {
      retour: 'statut=propose',
      dossiers: [ids[0]!, ids[1]!],
      [`v-${ids[0]}`]: valeur(page.body, `v-${ids[0]}`)!,
      [`v-${ids[1]}`]: valeur(page.body, `v-${ids[1]}`)!,
      [`a-${l1[0]!.id}`]: '2 400',
      [`a-${l1[1]!.id}`]: '1000,50',
      [`a-${l2[0]!.id}`]: '7500',
      motif: '',
      decision: 'accepter',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${URL_PROG}?statut=propose`);
    expect(await statuts()).toEqual([[0, 'accepte'], [1, 'accepte'], [2, 'accepte'], [3, 'en_instruction']]);
    // The other co-funder's line is not the committee's: it stays untouched.
    expect(await accordes(ids[0]!)).toEqual([2_400_00, 1_000_50, null]);
    expect(await accordes(ids[1]!)).toEqual([7_500_00]);
    const [d] = await t.database.db.select().from(dossier).where(eq(dossier.id, ids[0]!));
    expect(d!.decideLe).toBeInstanceOf(Date);
    const evenements = await t.database.db.select().from(dossierEvenement).where(inArray(dossierEvenement.dossierId, ids));
    expect(evenements.map((e) => [e.etape, e.de, e.vers, e.par])).toEqual([['accepter', 'propose', 'accepte', 'direction@exemple.fr'], ['accepter', 'propose', 'accepte', 'direction@exemple.fr']]);
    const audit = await t.database.db.select().from(auditLog).where(and(eq(auditLog.objectType, 'dossier'), eq(auditLog.objectId, ids[0]!)));
    expect(audit.map((a) => a.action).sort()).toEqual(['dossier-accepter', 'dossier-montants-accordes']);
    expect(audit.find((a) => a.action === 'dossier-montants-accordes')!.after).toEqual({ accordes: [{ id: l1[0]!.id, accorde: 2_400_00 }, { id: l1[1]!.id, accorde: 1_000_50 }] });

    // The page now weighs the État's envelope with the 9 900 € granted.
    const apres = await cl.get(res.headers.location as string);
    expect(mainText(apres.body)).toContain('2 dossiers acceptés.');
    expect(rows(apres.body, 'totaux-financeurs')[0]!.slice(5, 8)).toEqual(['10 000,00 €', '9 900,00 €', '100,00 €']);
  });

  it('changes nothing when one selected file cannot be decided, and says which and why, keeping the amounts typed', async () => {
    const cl = await client('direction@exemple.fr');
    await cl.get(URL_PROG);
    const l1 = await t.database.db.select().from(financement).where(eq(financement.dossierId, ids[0]!)).orderBy(financement.ordre);
    const l2 = await t.database.db.select().from(financement).where(eq(financement.dossierId, ids[1]!));
    const res = await cl.post(`${URL_PROG}/decisions`, {
      retour: 'statut=propose&statut=accepte',
      dossiers: [ids[0]!, ids[1]!, ids[2]!],
      [`v-${ids[0]}`]: '1',
      [`v-${ids[1]}`]: '1',
      [`v-${ids[2]}`]: '1',
      [`a-${l1[0]!.id}`]: '2 400',
      [`a-${l1[1]!.id}`]: '1000',
      [`a-${l2[0]!.id}`]: 'sept mille',
      decision: 'accepter',
    });
    expect(res.statusCode).toBe(400);
    const text = mainText(res.body);
    expect(text).toContain('Le formulaire contient 2 erreurs');
    expect(text).toContain('Le montant accordé par État (programme 147) au dossier 2019-0002 n’est pas un montant en euros');
    expect(text).toContain('Le dossier 2019-0003 n’est plus proposé au comité : il ne peut pas être accepté.');
    expect(valeur(res.body, `a-${l2[0]!.id}`)).toBe('sept mille');
    expect(valeur(res.body, `a-${l1[0]!.id}`)).toBe('2 400');
    expect(tags(res.body).find((x) => x.name === 'input' && x.attrs.value === ids[0] && x.attrs.name === 'dossiers')!.attrs.checked).toBeDefined();
    expect(await statuts()).toEqual([[0, 'propose'], [1, 'propose'], [2, 'accepte'], [3, 'en_instruction']]);
    expect(await accordes(ids[0]!)).toEqual([null, null, null]);
    expect(await t.database.db.select().from(dossierEvenement).where(inArray(dossierEvenement.dossierId, ids))).toEqual([]);
  });

  it('refuses a selection only with a motif, granting 0', async () => {
    const cl = await client('direction@exemple.fr');
    await cl.get(URL_PROG);
    const champs = { dossiers: ids[1]!, [`v-${ids[1]}`]: '1', decision: 'refuser' };
    const sans = await cl.post(`${URL_PROG}/decisions`, { ...champs, motif: '' });
    expect(sans.statusCode).toBe(400);
    expect(mainText(sans.body)).toContain('Indiquez le motif du refus');
    const avec = await cl.post(`${URL_PROG}/decisions`, { ...champs, motif: 'Projet hors des priorités de l’appel.' });
    expect(avec.statusCode).toBe(303);
    expect(await accordes(ids[1]!)).toEqual([0]);
    const [d] = await t.database.db.select().from(dossier).where(eq(dossier.id, ids[1]!));
    expect([d!.statut, d!.decisionMotif]).toEqual(['refuse', 'Projet hors des priorités de l’appel.']);
  });

  it('lets the association download its decision letter, not another association’s, and only once decided', async () => {
    const lettre = `/dossiers/${ids[2]}/lettre.pdf`;
    const a = await client('asso-a@exemple.fr');
    const res = await a.get(lettre);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const texte = textesPdf(res.rawPayload).join('\n');
    expect(texte).toContain('1\u00a0500,00\u00a0€');
    expect(texte).toContain('Les Ateliers du Nord');
    expect(texte).toContain('DDCT — Service politique de la ville');
    expect(texte).toContain('Accepté');

    const b = await client('asso-b@exemple.fr');
    expect((await b.get(lettre)).statusCode).toBe(403);
    const pasDecide = await a.get(`/dossiers/${ids[0]}/lettre.pdf`);
    expect(pasDecide.statusCode).toBe(404);
    expect(mainText(pasDecide.body)).toContain('n’a pas encore reçu de décision');
    expect((await a.get('/dossiers/pas-un-id/lettre.pdf')).statusCode).toBe(404);
  });

  it('exports the table and the totals as a workbook, amounts in euros as numbers', async () => {
    const cl = await client('direction@exemple.fr');
    const res = await cl.get(`${URL_PROG}.xlsx?statut=propose&statut=accepte`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="programmation-2019.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Programmation', 'Totaux par financeur', 'Par quartier', 'Par axe', 'Par thématique']);
    const prog = wb.getWorksheet('Programmation')!;
    const entetes = prog.getRow(1).values as unknown[];
    const col = (label: string) => entetes.indexOf(label);
    expect(prog.getRow(2).getCell(col('Référence')).value).toBe('2019-0001');
    expect(prog.getRow(2).getCell(col('État (programme 147) : proposé (€)')).value).toBe(2500);
    expect(prog.getRow(4).getCell(col('Ville de Paris : accordé (€)')).value).toBe(1500);
    expect(prog.getRow(3).getCell(col('Association')).value).toBe('Élan Solidaire (fictive)');
    const totaux = wb.getWorksheet('Totaux par financeur')!;
    expect(totaux.getRow(3).getCell(1).value).toBe('Ville de Paris');
    expect(totaux.getRow(3).getCell(6).value).toBe(5000);
    expect(totaux.getRow(3).getCell(8).value).toBe(3500);
  });
});
