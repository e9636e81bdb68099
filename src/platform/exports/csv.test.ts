import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvField, csvLine, csvStream, toCsv } from './csv.ts';

describe('CSV writer', () => {
  it('leaves plain fields as they are', () => {
    expect(csvField('Paris 18e')).toBe('Paris 18e');
    expect(csvField('Élodie Müller')).toBe('Élodie Müller');
  });

  it('quotes fields holding the separator, a quote or a line break, doubling quotes', () => {
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('le « bon » "mot"')).toBe('"le « bon » ""mot"""');
    expect(csvField('ligne 1\nligne 2')).toBe('"ligne 1\nligne 2"');
    expect(csvField('fin\r\n')).toBe('"fin\r\n"');
  });

  it('writes empty fields for missing values, French decimals, oui/non', () => {
    expect(csvLine([null, undefined, '', 3.5, 12, true, false])).toBe(';;;3,5;12;oui;non\r\n');
  });

  it('neutralises texts a spreadsheet would run as formulas, but not numbers', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+33 1 23')).toBe("'+33 1 23");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-12)).toBe('-12');
  });

  it('starts a file with the BOM and the header, one CRLF line per record', () => {
    const csv = toCsv(['Nom', 'Rôle'], [['Ana', 'Agent; territorial'], ['Bo', null]]);
    expect(csv).toBe(`${CSV_BOM}Nom;Rôle\r\nAna;"Agent; territorial"\r\nBo;\r\n`);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('streams the same text as the whole-file writer', async () => {
    async function* batches() {
      yield [['a', 1]];
      yield [];
      yield [['b;c', 2.25], ['d', null]];
    }
    let streamed = '';
    for await (const chunk of csvStream(['x', 'y'], batches())) streamed += chunk;
    expect(streamed).toBe(toCsv(['x', 'y'], [['a', 1], ['b;c', 2.25], ['d', null]]));
  });
});
