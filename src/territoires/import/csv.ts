import { cite, failAt, ImportFailure } from './model.ts';

// Reading the `;`-separated files of INSEE and of the BAN, one line at a time, as their publishers
// write them: a UTF-8 byte order mark or none, CRLF or LF, many empty trailing columns, quotes rare.

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Splits one line on the separator; a field in double quotes may contain it ("" is a quote). */
export function splitCsvLine(line: string, separator = ';'): string[] {
  if (!line.includes('"')) return line.split(separator);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === separator) {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** A header: column name → index. Empty names (the trailing `;;;;` of INSEE files) are left out. */
export type Header = { names: string[]; index: Map<string, number> };

export function readHeader(line: string, separator = ';'): Header {
  const names = splitCsvLine(stripBom(line), separator).map((n) => n.trim());
  const index = new Map<string, number>();
  names.forEach((n, i) => {
    if (n && !index.has(n)) index.set(n, i);
  });
  return { names, index };
}

/** The index of each required column, or the French error naming the first one missing. */
export function requireColumns<K extends string>(header: Header, columns: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const c of columns) {
    const i = header.index.get(c);
    if (i === undefined) {
      throw new ImportFailure(`Colonne obligatoire absente : ${c} (colonnes lues sur la ligne 1 : ${header.names.filter(Boolean).slice(0, 12).join(', ')}${header.names.filter(Boolean).length > 12 ? '…' : ''}).`, 1, c);
    }
    out[c] = i;
  }
  return out;
}

// Any space groups thousands in INSEE files: plain, no-break (U+00A0) or narrow no-break (U+202F).
const FRENCH_NUMBER = /^[+-]?(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,\d+)?$/;

/**
 * A number as INSEE prints it ("14 970", "34,8", "-10,0"), or null for an empty cell.
 * Anything else is an error naming the line and the column.
 */
export function frenchNumber(text: string, ligne: number, colonne: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  if (!FRENCH_NUMBER.test(t)) throw failAt(ligne, colonne, `${cite(t)} n'est pas un nombre.`);
  return Number(t.replace(/[ \u00a0\u202f]/g, '').replace(',', '.'));
}

const DECIMAL = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/;

/** A coordinate or a measure written with a dot (or a comma, as a spreadsheet may re-save it). */
export function decimal(text: string, ligne: number, colonne: string): number {
  const t = text.trim();
  if (t === '') throw failAt(ligne, colonne, 'valeur manquante.');
  if (!DECIMAL.test(t)) throw failAt(ligne, colonne, `${cite(t)} n'est pas un nombre.`);
  return Number(t.replace(',', '.'));
}
