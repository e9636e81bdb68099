import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { CSV_BOM } from '../platform/exports/csv.ts';
import { SYSTEM } from '../defaults.ts';
import { listOrganisations } from '../contrat/store.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/app.ts';
import { decodeEntities, tags, textOf } from '../../test/html.ts';
import { TestClient } from '../../test/http-client.ts';
import { COLONNES_MESURES } from './export-fiches.ts';
import { campagneParAnnee, ficheParNumero, listerFiches, modifierCampagne } from './store.ts';
import { changerStatut } from './saisie-store.ts';

// The bilan of the 2015 campaign over HTTP, on the default contract: the page, the workbook, the
// committee's documents, the CSV and the API; who sees it published, who sees it before.


/** The text of the page's <main>, tags dropped, spaces collapsed. */
function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
  return decodeEntities(main.replace(/<svg[\s\S]*?<\/svg>/g, ' ').replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ');
}

/** The body rows of the table with that id, each as its cells' text. */
function rows(html: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decodeEntities(c[1]!.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim()),
  );
}

/** CSV records split on `;` (the 2015 figures hold no quoted separator in the columns read here). */
function csvRecords(body: string): string[][] {
  return body.replace(CSV_BOM, '').split('\r\n').filter(Boolean).map((l) => l.split(';'));
}

describeEachDatabase('engagements: the bilan of a campaign', (kind) => {
  let t: TestApp;
  let mesures2015: number;

  beforeAll(async () => {
    t = await startTestApp(kind);
    const orgs = new Map((await listOrganisations(t.database.db, t.contrat.id)).map((o) => [o.nom, o.id]));
    await accountWithRole(t, 'agent@exemple.fr', 'agent_territorial', { kind: 'territoire', ref: '00000000-0000-0000-0000-000000000001' });
    await accountWithRole(t, 'referent@exemple.fr', 'referent_partenaire', { kind: 'organisation', ref: orgs.get('CAF de Paris')! });
    const c = (await campagneParAnnee(t.database.db, t.contrat.id, 2015))!;
    mesures2015 = (await listerFiches(t.database.db, c.id)).flatMap((f) => f.mesures).length;
  });
  afterAll(() => t?.close());

  it('shows a visitor the published 2015 bilan: key figures, the chart followed by its table, the groups, flagged measures linked to their sheet', async () => {
    const res = await t.app.inject({ url: '/suivi/2015/bilan' });
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body, 'h1')).toBe('Bilan 2015 de la mobilisation du droit commun');
    const text = mainText(res.body);
    expect(text).toContain('Fiches de suivi 61');
    expect(text).toContain(`Mesures suivies ${mesures2015}`);
    expect(text).not.toContain('n’est pas publié');

    // The chart is an image named by its title, and the table after it gives the same counts.
    const svg = tags(res.body).find((x) => x.name === 'svg' && x.attrs.role === 'img');
    expect(svg).toBeDefined();
    expect(res.body.indexOf('id="graphique-repartition"')).toBeLessThan(res.body.indexOf('id="tableau-repartition"'));
    const repartition = rows(res.body, 'tableau-repartition');
    expect(repartition.map((r) => r[0])).toEqual(['Moins de 50 %', 'De 50 à 80 %', 'De 80 à 100 %', '100 % et plus', 'Sans taux calculé']);
    expect(repartition.reduce((s, r) => s + Number(r[1]), 0)).toBe(mesures2015);
    const chart = /<svg[\s\S]*?<\/svg>/.exec(res.body)![0];
    for (const [libelle, n] of repartition) {
      expect(chart).toContain(`data-barre="${libelle}"`);
      expect(chart).toContain(`>${n} mesure${Number(n) > 1 ? 's' : ''}</text>`);
    }

    // The printings "Vivre la ville…" and "Vivre sa ville…" fall under one axe, all 61 sheets counted once.
    const axes = rows(res.body, 'tableau-axes');
    expect(axes.reduce((s, r) => s + Number(r[1]), 0)).toBe(61);
    expect(axes.find((r) => r[0]!.startsWith('Vivre sa ville et son quartier'))![0]).toContain('« Vivre la ville et son quartier »');

    // Sheet 1 printed 113 %; Pilotis computes 112,8 % and shows both; its result repeats sheets 2 and 3.
    const comparaisons = rows(res.body, 'tableau-comparaisons');
    expect(comparaisons.find((r) => r[0] === 'Fiche n° 1')!.slice(2, 4)).toEqual(['113%', '112,8 %']);
    const signalee = rows(res.body, 'tableau-signalees').find((r) => r[0] === 'Fiche n° 1')!;
    expect(signalee[2]).toContain('Résultat identique à celui d’une autre fiche (fiches n° 2, 3)');
    expect(res.body).toContain('href="/suivi/2015/fiches/1"');

    // Alert points are quoted with the lines of the bilan they come from.
    expect(text).toContain('Bilan 2015 (document 004), l. 3569-3572');
    expect(text).not.toContain('Fiches non validées');
  });

  it('exports the workbook: Synthèse, Fiches with one row per measure, Alertes, Par axe, Par thématique', async () => {
    const res = await t.app.inject({ url: '/suivi/2015/bilan.xlsx' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe('attachment; filename="bilan-2015.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const names = wb.worksheets.map((w) => w.name);
    for (const name of ['Synthèse', 'Fiches', 'Alertes', 'Par axe', 'Par thématique']) expect(names).toContain(name);
    const fiches = wb.getWorksheet('Fiches')!;
    expect(fiches.getRow(1).getCell(1).value).toBe('Fiche');
    expect(fiches.actualRowCount).toBe(1 + mesures2015);
    const numeros = new Set<number>();
    fiches.eachRow((row, i) => i > 1 && numeros.add(row.getCell(1).value as number));
    expect(numeros.size).toBe(61);
    // A computed rate is a number with a percent format, so that the reader can sort and compute.
    const premiere = fiches.getRow(2);
    const col = (label: string) => (fiches.getRow(1).values as unknown[]).indexOf(label);
    expect(premiere.getCell(col('Taux déclaré (tel qu’imprimé)')).value).toBe('113%');
    expect(premiere.getCell(col('Taux calculé par Pilotis')).value).toBeCloseTo(1.128, 6);
    const synthese = wb.getWorksheet('Synthèse')!;
    expect(synthese.getRow(2).values).toEqual([undefined, 'Fiches de suivi', 61]);
  });

  it('exports the committee’s document as PDF and Word', async () => {
    const pdf = await t.app.inject({ url: '/suivi/2015/bilan.pdf' });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const docx = await t.app.inject({ url: '/suivi/2015/bilan.docx' });
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(docx.rawPayload.includes(Buffer.from('word/document.xml'))).toBe(true);
  });

  it('gives the measures as CSV and through the API, the same rows', async () => {
    const csv = await t.app.inject({ url: '/suivi/2015/fiches.csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.startsWith(CSV_BOM)).toBe(true);
    const [header, ...records] = csvRecords(csv.body);
    for (const c of ['fiche', 'sous_mesure', 'titre', 'service', 'cible', 'resultat', 'taux_declare', 'taux_calcule', 'alertes', 'axe', 'thematique', 'reference', 'nature', 'sens', 'statut']) {
      expect(header).toContain(c);
    }
    expect(records).toHaveLength(mesures2015);
    const cell = (r: string[], c: string) => r[header!.indexOf(c)];
    const premiere = records.find((r) => cell(r, 'fiche') === '1')!;
    expect([cell(premiere, 'service'), cell(premiere, 'cible'), cell(premiere, 'taux_declare'), cell(premiere, 'taux_calcule'), cell(premiere, 'statut')]).toEqual([
      'DIRECCTE',
      '18%',
      '113%',
      '112,8',
      'validee',
    ]);
    expect(cell(premiere, 'alertes')).toBe('resultat_copie');

    const api = await t.app.inject({ url: '/api/v1/campagnes/2015/mesures' });
    expect(api.statusCode).toBe(200);
    const body = api.json() as { campagne: { annee: number; publiee: boolean }; mesures: Record<string, unknown>[] };
    expect(body.campagne).toEqual({ annee: 2015, publiee: true });
    expect(body.mesures).toHaveLength(mesures2015);
    expect(Object.keys(body.mesures[0]!)).toEqual([...COLONNES_MESURES]);
    expect(body.mesures[0]).toMatchObject({ fiche: 1, taux_declare: '113%', taux_calcule: 112.8, service: 'DIRECCTE' });
  });

  it('answers 404 for a year without a campaign', async () => {
    expect((await t.app.inject({ url: '/suivi/2031/bilan' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/suivi/deux-mille/bilan.pdf' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/campagnes/2031/mesures' })).statusCode).toBe(404);
  });

  it('shows the public the validated sheets only, and those who follow the campaign every sheet with the late ones', async () => {
    const c = (await campagneParAnnee(t.database.db, t.contrat.id, 2015))!;
    const fiche = (await ficheParNumero(t.database.db, c.id, 12))!;
    const r = await changerStatut(t.database.db, SYSTEM, { contratId: t.contrat.id, ficheId: fiche.id, etape: 'rouvrir', commentaire: 'Résultat à vérifier.', aujourdhui: '2016-06-01' });
    expect(r.ok).toBe(true);
    await modifierCampagne(t.database.db, SYSTEM, t.contrat.id, 2015, { echeance: '2016-05-31' });

    const visiteur = await t.app.inject({ url: '/suivi/2015/bilan' });
    expect(mainText(visiteur.body)).toContain('Fiches de suivi 60');
    expect(mainText(visiteur.body)).toContain('Seules les fiches validées par la direction de projet figurent dans ce bilan public.');
    const csv = csvRecords((await t.app.inject({ url: '/suivi/2015/fiches.csv' })).body);
    expect(csv.slice(1).some((r) => r[0] === '12')).toBe(false);

    const agent = new TestClient(t.app);
    await agent.signIn('agent@exemple.fr', TEST_PASSWORD);
    const interne = await agent.get('/suivi/2015/bilan');
    expect(interne.statusCode).toBe(200);
    expect(interne.headers['cache-control']).toBe('no-store');
    expect(mainText(interne.body)).toContain('Fiches de suivi 61');
    expect(mainText(interne.body)).toContain('Fiches en retard (échéance passée, non soumises) 1');
    expect(rows(interne.body, 'tableau-en-cours')).toEqual([[expect.stringContaining('Fiche n° 12'), expect.any(String), 'Renvoyée pour correction', 'En retard : échéance passée, non soumise']]);
    const api = (await agent.get('/api/v1/campagnes/2015/mesures')).json() as { mesures: { fiche: number; statut: string }[] };
    expect(api.mesures.find((m) => m.fiche === 12)!.statut).toBe('renvoyee');
  });

  it('keeps an unpublished bilan for the direction and agents: a visitor is asked to sign in, a partner’s référent is refused', async () => {
    await modifierCampagne(t.database.db, SYSTEM, t.contrat.id, 2015, { publiee: false });
    try {
      const visiteur = await t.app.inject({ url: '/suivi/2015/bilan.xlsx' });
      expect(visiteur.statusCode).toBe(302);
      expect(visiteur.headers.location).toBe(`/connexion?retour=${encodeURIComponent('/suivi/2015/bilan.xlsx')}`);
      expect((await t.app.inject({ url: '/api/v1/campagnes/2015/mesures' })).statusCode).toBe(401);

      const referent = new TestClient(t.app);
      await referent.signIn('referent@exemple.fr', TEST_PASSWORD);
      expect((await referent.get('/suivi/2015/bilan')).statusCode).toBe(403);
      expect((await referent.get('/suivi/2015/fiches.csv')).statusCode).toBe(403);

      const agent = new TestClient(t.app);
      await agent.signIn('agent@exemple.fr', TEST_PASSWORD);
      const page = await agent.get('/suivi/2015/bilan');
      expect(page.statusCode).toBe(200);
      expect(mainText(page.body)).toContain('Ce bilan n’est pas publié');
      expect((await agent.get('/suivi/2015/bilan.pdf')).statusCode).toBe(200);
    } finally {
      await modifierCampagne(t.database.db, SYSTEM, t.contrat.id, 2015, { publiee: true });
    }
  });
});
