// XLSX export: one worksheet per table, values typed so that the reader can sort, filter and compute.
//
// Number formats are stored in the file's invariant syntax (`,` groups thousands, `.` marks decimals);
// a French Excel or LibreOffice shows `#,##0` as "1 234" and `0.0 %` as "112,8 %". Writing `# ##0`
// literally would make the space a fixed character (1234567 would read "123 4567").
//
// Percentages: the model holds percent numbers (112.8); the cell stores the ratio 1.128 with a percent
// format. The cell then means what it shows: `=B2*C2` or a sum of shares gives the right result,
// and changing the format to decimals shows 1,128, not 112,8 — a `0.0" %"` format over 112.8 would
// look the same but silently multiply every formula by a hundred.
import ExcelJS from 'exceljs';
import {
  columnWidths, dateIso, dateLongueFr, decimalsOf, type Block, type CellValue, type Column, type DocumentRapport, type Table,
} from './document-model.ts';

const SHEET_NAME_MAX = 31;
const FORBIDDEN_IN_SHEET_NAME = /[\\/?*[\]:]/g;
const SUMMARY_SHEET = 'Sommaire';

/** At most `max` characters, cut between words when a word boundary is not too far back. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (text[max] !== ' ' && space > max / 2 ? cut.slice(0, space) : cut).trim();
}

/** A worksheet name Excel accepts: no \ / ? * [ ] :, no leading or trailing apostrophe, ≤ 31 characters, unique (case-insensitive). */
export function sheetName(caption: string, taken: Set<string>, fallback: string): string {
  let base = caption.replace(FORBIDDEN_IN_SHEET_NAME, ' ').replace(/\s+/g, ' ').trim().replace(/^'+|'+$/g, '').trim();
  // "History" is reserved by Excel for its change-tracking sheet.
  if (!base || base.toLowerCase() === 'history') base = fallback;
  let name = shorten(base, SHEET_NAME_MAX);
  for (let n = 2; taken.has(name.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    name = shorten(base, SHEET_NAME_MAX - suffix.length) + suffix;
  }
  taken.add(name.toLowerCase());
  return name;
}

function numberFormat(column: Column, decimals: number): string | undefined {
  const fraction = decimals > 0 ? `.${'0'.repeat(decimals)}` : '';
  if (column.type === 'number') return `#,##0${fraction}`;
  if (column.type === 'percent') return `0${fraction} %`;
  if (column.type === 'date') return 'dd/mm/yyyy';
  return undefined;
}

function cellValue(value: CellValue | undefined, column: Column): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return column.type === 'percent' ? value / 100 : value;
  }
  if (column.type === 'date') return dateIso(value) ?? value;
  return value;
}

const FONT = { name: 'Calibri', size: 11 };
const font = (extra: Partial<ExcelJS.Font>): Partial<ExcelJS.Font> => ({ ...FONT, ...extra });
// Row heights in points: 15 fits one line of 11 pt text.
const lineHeight = (size: number) => Math.max(15, Math.ceil(size * 1.35));

/** Lines a text takes when wrapped at words in a column `width` characters wide. */
function wrappedLines(text: string, width: number): number {
  let lines = 1;
  let used = 0;
  for (const word of text.split(/\s+/)) {
    if (used > 0 && used + 1 + word.length > width) { lines++; used = 0; }
    used += (used > 0 ? 1 : 0) + word.length;
    while (used > width) { lines++; used -= width; }
  }
  return lines;
}

// Spreadsheets do not all grow a row for its wrapped text on opening (LibreOffice keeps the default
// height): the height is set from an estimate of the wrapped lines.
function fitHeight(row: ExcelJS.Row, texts: readonly string[], widths: readonly number[], size: number = FONT.size): void {
  // Larger text fits fewer characters in the same column.
  const scale = FONT.size / size;
  const lines = Math.max(...texts.map((text, i) => wrappedLines(text, Math.max(1, ((widths[i] ?? 10) - 1) * scale))));
  if (lines > 1 || size > FONT.size) row.height = lines * lineHeight(size);
}

/** A4, scaled to the page width, the first `titleRows` rows repeated on each printed page. */
function printSetup(sheet: ExcelJS.Worksheet, titleRows?: number): void {
  sheet.pageSetup = { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  if (titleRows) sheet.pageSetup.printTitlesRow = `1:${titleRows}`;
}

function addTableSheet(workbook: ExcelJS.Workbook, table: Table, name: string): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const widths = columnWidths(table);
  sheet.columns = table.columns.map((column, i) => {
    const numFmt = numberFormat(column, decimalsOf(column, table.rows));
    return { key: column.key, width: widths[i], ...(numFmt ? { style: { numFmt } } : {}) };
  });
  const header = sheet.getRow(1);
  header.values = table.columns.map((column) => column.label);
  header.font = font({ bold: true });
  header.alignment = { vertical: 'top', wrapText: true };
  fitHeight(header, table.columns.map((column) => column.label), widths);
  printSetup(sheet, 1);
  for (const row of table.rows) {
    sheet.addRow(table.columns.map((column) => cellValue(row[column.key], column)));
  }
  if (table.columns.length > 0) {
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + table.rows.length, column: table.columns.length } };
  }
  if (table.notes?.length) {
    // One empty row keeps the notes out of the filtered range and of a "select the data" gesture.
    sheet.addRow([]);
    for (const note of table.notes) sheet.addRow([note]).font = font({ italic: true });
  }
}

function newWorkbook(titre?: string, auteur?: string, date?: Date): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = auteur ?? 'Pilotis';
  if (titre) workbook.title = titre;
  // Written to the core properties (dc:language) by exceljs, though its typings omit it.
  (workbook as ExcelJS.Workbook & { language?: string }).language = 'fr-FR';
  workbook.created = date ?? new Date();
  return workbook;
}

async function toBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Tables alone, one sheet each, for a plain data export. */
export async function tableauxEnXlsx(tables: readonly Table[]): Promise<Buffer> {
  const workbook = newWorkbook();
  const taken = new Set<string>();
  tables.forEach((table, i) => addTableSheet(workbook, table, sheetName(table.caption, taken, `Tableau ${i + 1}`)));
  if (tables.length === 0) workbook.addWorksheet('Vide');
  return toBuffer(workbook);
}

const TEXT_WIDTH = 80;
const VALUE_WIDTH = 18;

function addText(sheet: ExcelJS.Worksheet, text: string, style: Partial<ExcelJS.Font> = {}): void {
  const row = sheet.addRow([text]);
  row.font = font(style);
  fitHeight(row, [text], [TEXT_WIDTH], style.size);
}

function writeSummaryBlock(sheet: ExcelJS.Worksheet, block: Block, tableSheets: Map<Table, string>): void {
  switch (block.kind) {
    case 'heading':
      return addText(sheet, block.text, { bold: true, size: block.level === 1 ? 13 : 11 });
    case 'paragraph':
      return addText(sheet, block.text, block.emphasis === 'strong' ? { bold: true } : block.emphasis === 'em' ? { italic: true } : {});
    case 'list':
      for (const item of block.items) addText(sheet, `• ${item}`);
      return;
    case 'keyValue':
      for (const pair of block.pairs) {
        const row = sheet.addRow([pair.label, pair.value]);
        row.getCell(1).font = font({ bold: true });
        if (typeof pair.value === 'number') row.getCell(2).numFmt = Number.isInteger(pair.value) ? '#,##0' : '#,##0.00';
      }
      return;
    case 'table':
      // Named, not linked: exceljs writes internal links that some readers open as web addresses.
      return addText(sheet, `Tableau : ${block.table.caption} (feuille « ${tableSheets.get(block.table) ?? ''} »)`, { italic: true });
    case 'pageBreak':
      sheet.addRow([]);
      return;
  }
}

/** The report: a "Sommaire" sheet with the title, date and texts, linking to one sheet per table. */
export async function rapportEnXlsx(doc: DocumentRapport): Promise<Buffer> {
  const workbook = newWorkbook(doc.titre, doc.auteur, dateIso(doc.date) ?? undefined);
  const taken = new Set<string>([SUMMARY_SHEET.toLowerCase()]);
  const summary = workbook.addWorksheet(SUMMARY_SHEET);
  summary.columns = [{ width: TEXT_WIDTH, style: { alignment: { wrapText: true, vertical: 'top' } } }, { width: VALUE_WIDTH, style: { alignment: { vertical: 'top' } } }];
  printSetup(summary);

  const tables = doc.sections.flatMap((section) => section.blocks.flatMap((block) => (block.kind === 'table' ? [block.table] : [])));
  const tableSheets = new Map<Table, string>();
  for (const table of tables) {
    if (!tableSheets.has(table)) tableSheets.set(table, sheetName(table.caption, taken, `Tableau ${tableSheets.size + 1}`));
  }

  addText(summary, doc.titre, { bold: true, size: 16 });
  if (doc.sousTitre) addText(summary, doc.sousTitre, { size: 13 });
  addText(summary, [doc.auteur, dateLongueFr(doc.date)].filter(Boolean).join(' — '));
  for (const section of doc.sections) {
    summary.addRow([]);
    if (section.titre) addText(summary, section.titre, { bold: true, size: 13 });
    for (const block of section.blocks) writeSummaryBlock(summary, block, tableSheets);
  }
  for (const [table, name] of tableSheets) addTableSheet(workbook, table, name);
  return toBuffer(workbook);
}
