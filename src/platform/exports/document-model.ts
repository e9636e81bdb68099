import { jourLong } from '../dates.ts';
// A small format-neutral document: a module builds it once (the yearly bilan, a committee pack) and
// the XLSX, PDF and Word writers render it. Texts are plain strings; values in tables stay raw
// (numbers as numbers) so that the spreadsheet keeps them computable and each writer formats them.

export type CellValue = string | number | null;

export type ColumnType = 'text' | 'number' | 'percent' | 'date';

export interface Column {
  key: string;
  label: string;
  type: ColumnType;
  /** Width in characters (Excel's unit); PDF and Word share the page in proportion. Default: from the content. */
  width?: number;
  /** Decimals shown. Default: 0 for integers only, else 2 for `number`; 1 for `percent`. */
  decimals?: number;
}

/**
 * `percent` values are percent numbers (112.8 means 112,8 %), as the business rules compute them.
 * `date` values are ISO dates (`2025-03-05`).
 */
export interface Table {
  caption: string;
  columns: Column[];
  rows: Record<string, CellValue>[];
  /** Sources, definitions, caveats: printed under the table. */
  notes?: string[];
}

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string; emphasis?: 'strong' | 'em' }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; table: Table }
  | { kind: 'keyValue'; pairs: { label: string; value: CellValue }[] }
  | { kind: 'pageBreak' };

/** A section's title, when given, is a level-1 heading. */
export interface Section {
  titre?: string;
  blocks: Block[];
}

export interface DocumentRapport {
  titre: string;
  sousTitre?: string;
  auteur?: string;
  /** ISO date of the document (not of the data). */
  date: string;
  langue: 'fr-FR';
  sections: Section[];
}

export const LANGUE = 'fr-FR';
export const ABSENT = '—';
// `toLocaleString('fr-FR')` groups thousands with U+202F, absent from the WinAnsi encoding of the PDF
// standard fonts; U+00A0 is a no-break space every font and reader knows.
const NARROW_NBSP = /\u202f/g;
const NBSP = '\u00a0';

/** Decimals shown for a numeric column. */
export function decimalsOf(column: Column, rows: readonly Record<string, CellValue>[]): number {
  if (column.decimals !== undefined) return column.decimals;
  if (column.type === 'percent') return 1;
  return rows.every((row) => { const v = row[column.key]; return typeof v !== 'number' || Number.isInteger(v); }) ? 0 : 2;
}

export function nombreFr(value: number, decimals: number): string {
  return value.toLocaleString(LANGUE, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).replace(NARROW_NBSP, NBSP);
}

/** A parsed ISO date, or null when the text is not one. Dates are read and shown in UTC so that a day never shifts. */
export function dateIso(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "5 mars 2025", "1er mars 2025" */
export const dateLongueFr = jourLong;

/** A cell as text for PDF and Word: French numbers, "112,8 %", dd/mm/yyyy dates, "—" for a missing value. */
export function celluleFr(value: CellValue | undefined, column: Column, decimals: number): string {
  if (value === null || value === undefined || value === '') return ABSENT;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return ABSENT;
    if (column.type === 'percent') return `${nombreFr(value, decimals)}${NBSP}%`;
    return nombreFr(value, decimals);
  }
  if (column.type === 'date') {
    const date = dateIso(value);
    if (date) return date.toLocaleDateString(LANGUE, { timeZone: 'UTC' });
  }
  return value;
}

/** A key-value pair's value as text: numbers in French, "—" when missing. */
export function valeurFr(value: CellValue): string {
  if (typeof value === 'number') return celluleFr(value, { key: '', label: '', type: 'number' }, Number.isInteger(value) ? 0 : 2);
  return celluleFr(value, { key: '', label: '', type: 'text' }, 0);
}

const MIN_WIDTH = 6;
const MAX_WIDTH = 40;

/** Column widths in characters: the declared width, or the longest of label and shown values, kept readable. */
export function columnWidths(table: Table): number[] {
  return table.columns.map((column) => {
    if (column.width !== undefined) return column.width;
    const decimals = decimalsOf(column, table.rows);
    let longest = Math.max(...column.label.split(/\s+/).map((word) => word.length));
    for (const row of table.rows) longest = Math.max(longest, celluleFr(row[column.key], column, decimals).length);
    return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest + 2));
  });
}

export function isNumeric(column: Column): boolean {
  return column.type === 'number' || column.type === 'percent';
}
