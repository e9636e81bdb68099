// CSV as French spreadsheets open it without an import dialog: UTF-8 with a byte-order mark
// (so accents survive Excel), `;` between fields (`,` is the decimal separator), CRLF lines.

export const CSV_BOM = '\uFEFF';
export const CSV_SEPARATOR = ';';
const LINE_END = '\r\n';

export type CsvValue = string | number | boolean | null | undefined;

/**
 * A text starting with = + - @ (or a tab or carriage return) is run as a formula by spreadsheets:
 * a name typed in a form could then execute in the reader's spreadsheet. Such a text gets a leading
 * apostrophe (OWASP "CSV injection"). Numbers are written as numbers and never touched.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function text(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).replace('.', ',') : '';
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One field, quoted when it holds a separator, a quote or a line break (quotes doubled). */
export function csvField(value: CsvValue): string {
  const t = text(value);
  return /[;"\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
}

/** One record, line end included. */
export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvField).join(CSV_SEPARATOR) + LINE_END;
}

/** A whole small file: BOM, header, records. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  let out = CSV_BOM + csvLine(header);
  for (const row of rows) out += csvLine(row);
  return out;
}

/** The same, chunk by chunk, for a large export sent as a stream (`Readable.from(csvStream(…))`). */
export async function* csvStream(header: readonly string[], batches: AsyncIterable<readonly (readonly CsvValue[])[]>): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(header);
  for await (const batch of batches) {
    let chunk = '';
    for (const row of batch) chunk += csvLine(row);
    if (chunk) yield chunk;
  }
}
