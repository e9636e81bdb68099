import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { DocumentRapport, Table } from './document-model.ts';
import { rapportEnXlsx, sheetName, tableauxEnXlsx } from './xlsx.ts';

const realisation: Table = {
  caption: 'Réalisation par quartier : 2024 / 2023',
  columns: [
    { key: 'quartier', label: 'Quartier', type: 'text' },
    { key: 'montant', label: 'Montant (€)', type: 'number' },
    { key: 'taux', label: 'Taux de réalisation', type: 'percent' },
    { key: 'date', label: 'Date de saisie', type: 'date' },
    { key: 'ecart', label: '« Écart »', type: 'number', width: 12 },
  ],
  rows: Array.from({ length: 120 }, (_, i) => ({
    quartier: i === 0 ? '=SOMME(A1:A9)' : `Quartier ‘${i + 1}’`,
    montant: 1000 * i,
    taux: 100 + i / 10,
    date: '2025-03-05',
    ecart: i % 10 === 0 ? null : i,
  })),
  notes: ['Source : fiches de suivi 2024.'],
};

const rapport: DocumentRapport = {
  titre: 'Bilan 2024 du contrat de ville',
  sousTitre: 'Comité de pilotage',
  auteur: 'Direction de projet',
  date: '2025-03-05',
  langue: 'fr-FR',
  sections: [
    {
      titre: 'Synthèse',
      blocks: [
        { kind: 'paragraph', text: 'L’« Écart » se réduit ‘nettement’.' },
        { kind: 'list', items: ['Premier point'] },
        { kind: 'paragraph', text: 'Les crédits de droit commun mobilisés dans les quartiers prioritaires progressent. '.repeat(5) },
      ],
    },
    { titre: 'Tableaux', blocks: [{ kind: 'table', table: realisation }] },
  ],
};

async function read(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  return workbook;
}

function columnTexts(sheet: ExcelJS.Worksheet): string[] {
  const texts: string[] = [];
  sheet.eachRow((row) => texts.push(row.getCell(1).text));
  return texts;
}

describe('XLSX report', () => {
  it('opens on a summary sheet with the title, date and texts, then one sheet per table it names', async () => {
    const workbook = await read(await rapportEnXlsx(rapport));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Sommaire', 'Réalisation par quartier 2024']);
    expect(workbook.title).toBe('Bilan 2024 du contrat de ville');
    expect(workbook.creator).toBe('Direction de projet');
    const summary = columnTexts(workbook.getWorksheet('Sommaire')!);
    expect(summary.slice(0, 3)).toEqual(['Bilan 2024 du contrat de ville', 'Comité de pilotage', 'Direction de projet — 5 mars 2025']);
    expect(summary).toContain('L’« Écart » se réduit ‘nettement’.');
    expect(summary).toContain('• Premier point');
    expect(summary.at(-1)).toBe('Tableau : Réalisation par quartier : 2024 / 2023 (feuille « Réalisation par quartier 2024 »)');
  });

  it('writes a table with a bold frozen header, a filter and typed cells', async () => {
    const sheet = (await read(await rapportEnXlsx(rapport))).worksheets[1]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Quartier', 'Montant (€)', 'Taux de réalisation', 'Date de saisie', '« Écart »']);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe('A1:E121');

    const row = sheet.getRow(6);
    expect(row.getCell(2).type).toBe(ExcelJS.ValueType.Number);
    expect(row.getCell(2).value).toBe(4000);
    expect(row.getCell(2).numFmt).toBe('#,##0');
    expect(row.getCell(3).value).toBeCloseTo(1.004, 12);
    expect(row.getCell(3).numFmt).toBe('0.0 %');
    expect(row.getCell(4).value).toEqual(new Date(Date.UTC(2025, 2, 5)));
    expect(row.getCell(4).numFmt).toBe('dd/mm/yyyy');
    expect(row.getCell(5).value).toBe(4);
    expect(sheet.getRow(121).getCell(1).value).toBe('Quartier ‘120’');
    expect(sheet.getColumn(5).width).toBe(12);
  });

  it('leaves missing values empty, keeps formula-like text as text, and puts notes under the data', async () => {
    const sheet = (await read(await rapportEnXlsx(rapport))).worksheets[1]!;
    expect(sheet.getRow(2).getCell(5).type).toBe(ExcelJS.ValueType.Null);
    expect(sheet.getRow(2).getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getRow(2).getCell(1).value).toBe('=SOMME(A1:A9)');
    expect(sheet.getRow(122).getCell(1).value).toBeNull();
    expect(sheet.getRow(123).getCell(1).value).toBe('Source : fiches de suivi 2024.');
  });

  it('grows rows for wrapped text and prints on A4 width with the header on every page', async () => {
    const workbook = await read(await rapportEnXlsx(rapport));
    const summary = workbook.getWorksheet('Sommaire')!;
    const long = summary.getRows(1, summary.rowCount)!.find((row) => row.getCell(1).text.startsWith('Les crédits'))!;
    expect(long.height).toBeGreaterThanOrEqual(4 * 15);
    expect(summary.getRow(1).height).toBeGreaterThan(15);
    const table = workbook.worksheets[1]!;
    expect(table.getRow(1).height).toBe(30);
    expect(table.pageSetup).toMatchObject({ paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' });
  });

  it('exports bare tables, one sheet each, with distinct names', async () => {
    const small: Table = { caption: 'Crédits', columns: [{ key: 'm', label: 'Montant', type: 'number' }], rows: [{ m: 2.5 }, { m: 1234.125 }] };
    const workbook = await read(await tableauxEnXlsx([small, small, realisation]));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Crédits', 'Crédits (2)', 'Réalisation par quartier 2024']);
    const cell = workbook.worksheets[0]!.getRow(3).getCell(1);
    expect(cell.value).toBe(1234.125);
    expect(cell.numFmt).toBe('#,##0.00');
  });
});

describe('worksheet names', () => {
  it('drops the characters Excel refuses and keeps 31 characters at most', () => {
    const taken = new Set<string>();
    expect(sheetName('Crédits : État / Ville [2024]?*', taken, 'x')).toBe('Crédits État Ville 2024');
    const long = sheetName('Réalisation des engagements par quartier prioritaire', taken, 'x');
    expect(long).toBe('Réalisation des engagements par');
    expect(long.length).toBeLessThanOrEqual(31);
  });

  it('makes names unique regardless of case, within 31 characters', () => {
    const taken = new Set<string>(['sommaire']);
    expect(sheetName('SOMMAIRE', taken, 'x')).toBe('SOMMAIRE (2)');
    const caption = 'Réalisation des engagements par quartier prioritaire';
    sheetName(caption, taken, 'x');
    const second = sheetName(caption, taken, 'x');
    expect(second).toBe('Réalisation des engagements (2)');
    expect(second.length).toBeLessThanOrEqual(31);
  });

  it('falls back to a given name for an empty, quoted or reserved caption', () => {
    const taken = new Set<string>();
    expect(sheetName(' :/ ', taken, 'Tableau 1')).toBe('Tableau 1');
    expect(sheetName('History', taken, 'Tableau 2')).toBe('Tableau 2');
    expect(sheetName("'Budget'", taken, 'Tableau 3')).toBe('Budget');
  });
});
