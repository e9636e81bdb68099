import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Block } from '../platform/exports/document-model.ts';
import { CliError } from '../platform/cli/model.ts';
import { describeEachDatabase, openTestDatabase } from '../platform/db/testing.ts';
import type { Database } from '../platform/db/connect.ts';
import { loadDefaultContrat } from '../defaults.ts';
import { scopeDirectory } from '../server.ts';
import { calculerBilan } from './bilan-model.ts';
import { classeurBilan, documentBilan, titreBilan } from './bilan-export.ts';
import { exportFichesCommand, fichesDuBilan, lignesMesures, type FicheDuBilan } from './export-fiches.ts';
import { campagneParAnnee } from './store.ts';

// The bilan's documents built from the 2015 campaign as loaded by default, and `pilotis export fiches`.

describeEachDatabase('engagements: the bilan’s documents and the export command', (kind) => {
  let database: Database;
  let contratId: string;
  let fiches: FicheDuBilan[];
  let dossier: string;
  const mesures = () => fiches.flatMap((f) => f.mesures).length;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    contratId = (await loadDefaultContrat(database.db)).id;
    const c = (await campagneParAnnee(database.db, contratId, 2015))!;
    fiches = await fichesDuBilan(database.db, contratId, c.id, scopeDirectory.organisation);
    dossier = mkdtempSync(join(tmpdir(), 'pilotis-bilan-'));
  });
  afterAll(async () => {
    rmSync(dossier, { recursive: true, force: true });
    await database?.close();
  });

  it('names each sheet’s service after its organisation', () => {
    expect(fiches.find((f) => f.numero === 47)!.service).toBe('CAF de Paris – Mission parentalité');
  });

  it('builds the committee’s document: title, key figures, then one part per sheet with its measures and analysis', () => {
    const b = calculerBilan(fiches, { annee: 2015, echeance: null }, '2026-01-15');
    const doc = documentBilan(b, fiches, { contrat: 'Contrat de ville parisien 2015-2020', date: '2026-01-15', perimetre: null, interne: false });
    expect(doc.titre).toBe('Bilan 2015 de la mobilisation du droit commun — Contrat de ville parisien 2015-2020');
    expect(doc.titre).toBe(titreBilan(2015, 'Contrat de ville parisien 2015-2020'));
    expect(doc.date).toBe('2026-01-15');
    expect(doc.sections.map((s) => s.titre)).toEqual([
      'Chiffres clés',
      'Répartition des taux de réalisation',
      'Par axe, par thématique, par service',
      'Mesures signalées',
      'Points d’alerte des partenaires',
      'Taux déclarés et taux calculés',
      'Les fiches de suivi',
    ]);
    const cles = doc.sections[0]!.blocks.find((x): x is Extract<Block, { kind: 'keyValue' }> => x.kind === 'keyValue')!;
    expect(cles.pairs.slice(0, 2)).toEqual([
      { label: 'Fiches de suivi', value: 61 },
      { label: 'Fiches validées', value: 61 },
    ]);
    expect(cles.pairs.map((p) => p.label)).not.toContain('Fiches en retard (échéance passée, non soumises)');

    const parFiche = doc.sections.at(-1)!.blocks;
    const titres = parFiche.filter((x) => x.kind === 'heading' && x.level === 2);
    expect(titres).toHaveLength(61);
    const tables = parFiche.flatMap((x) => (x.kind === 'table' ? [x.table] : []));
    expect(tables.reduce((s, t) => s + t.rows.length, 0)).toBe(mesures());
    // Sheet 1: the rate as printed, and the one Pilotis computes beside it, with the formula in a note.
    expect(tables[0]!.rows[0]).toMatchObject({ cible: '18%', resultat: '20,3%(avril 2016)', declare: '113%', calcule: 112.8 });
    expect(tables[0]!.notes![0]).toMatch(/^Mesure : résultat ÷ cible/);
    expect(tables[0]!.notes).toContain('Mesure : Résultat identique à celui d’une autre fiche (fiches n° 2, 3).');
    // Alert points are quoted, with where the bilan prints them.
    const points = doc.sections[4]!.blocks.map((x) => (x.kind === 'paragraph' ? x.text : ''));
    expect(points).toContain('Bilan 2015 (document 004), l. 3569-3572');
  });

  it('builds the workbook’s sheets, the measures one per row', () => {
    const b = calculerBilan(fiches, { annee: 2015, echeance: null }, '2026-01-15');
    const doc = classeurBilan(b, fiches, lignesMesures(fiches), { contrat: 'Paris', date: '2026-01-15', perimetre: null, interne: true });
    const tables = doc.sections.flatMap((s) => s.blocks.flatMap((x) => (x.kind === 'table' ? [x.table] : [])));
    expect(tables.map((x) => x.caption).slice(0, 5)).toEqual(['Synthèse', 'Fiches', 'Alertes', 'Par axe', 'Par thématique']);
    expect(tables[1]!.rows).toHaveLength(mesures());
    expect(tables[2]!.rows).toHaveLength(fiches.flatMap((f) => f.mesures.flatMap((m) => m.alertes)).length);
    expect(tables[0]!.rows.map((r) => r.label)).toContain('Fiches en retard (échéance passée, non soumises)');
  });

  it('writes the CSV to the terminal, one row per measure, and nothing else there', async () => {
    let sortie = '';
    const texte = await exportFichesCommand(database.db, contratId, '2015', 'csv', { write: (s: string) => (sortie += s) }, scopeDirectory.organisation);
    expect(texte).toBe('');
    const lignes = sortie.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    expect(lignes[0]!.split(';').slice(0, 6)).toEqual(['fiche', 'sous_mesure', 'titre', 'axe', 'thematique', 'service']);
    expect(lignes).toHaveLength(1 + mesures());
  });

  it('writes a file when asked, CSV or XLSX', async () => {
    const csv = join(dossier, 'mesures.csv');
    expect(await exportFichesCommand(database.db, contratId, '2015', 'csv', csv, scopeDirectory.organisation)).toBe(
      `${mesures()} mesures (61 fiches) de la campagne 2015 exportées dans ${csv}.`,
    );
    expect(readFileSync(csv, 'utf8').split('\r\n').filter(Boolean)).toHaveLength(1 + mesures());

    const xlsx = join(dossier, 'mesures.xlsx');
    await exportFichesCommand(database.db, contratId, '2015', 'xlsx', xlsx, scopeDirectory.organisation);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.worksheets[0]!.actualRowCount).toBe(1 + mesures());
  });

  it('refuses an unknown year, format or an XLSX sent to the terminal, saying what is possible', async () => {
    const terminal = { write: () => undefined };
    const run = (annee: string, format: string, out: string | typeof terminal) => exportFichesCommand(database.db, contratId, annee, format, out, scopeDirectory.organisation);
    await expect(run('2016', 'csv', terminal)).rejects.toThrow(new CliError('Aucune campagne de suivi pour 2016. Campagnes : 2015.'));
    await expect(run('2015', 'ods', terminal)).rejects.toThrow('Format inconnu : « ods ». Formats possibles : csv, xlsx.');
    await expect(run('quinze', 'csv', terminal)).rejects.toThrow('Année invalide');
    await expect(run('2015', 'xlsx', terminal)).rejects.toThrow('--sortie');
  });
});
