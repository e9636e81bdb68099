import { inflateSync } from 'node:zlib';

// The text a pdfkit file shows, for tests: its content streams inflated, one string per text operation
// (standard fonts are WinAnsi-encoded, shown as hexadecimal strings).

const WIN_ANSI_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const winAnsi = (hex: string) => [...Buffer.from(hex, 'hex')].map((b) => (b >= 0x80 && b <= 0x9f ? WIN_ANSI_80_9F[b - 0x80] : String.fromCharCode(b))).join('');

function contenus(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  let out = source;
  for (const m of source.matchAll(/\/FlateDecode[^]*?stream\r?\n/g)) {
    const debut = m.index + m[0].length;
    const fin = source.indexOf('endstream', debut);
    try {
      out += `\n${inflateSync(pdf.subarray(debut, fin)).toString('latin1')}`;
    } catch {
      // Not a deflated content stream (a font, an image): nothing to read.
    }
  }
  return out;
}

export function textesPdf(pdf: Buffer): string[] {
  return [...contenus(pdf).matchAll(/\[((?:<[0-9a-f]*>\s*-?[\d.]*\s*)+)\] TJ/g)].map((m) => [...m[1]!.matchAll(/<([0-9a-f]*)>/g)].map((h) => winAnsi(h[1]!)).join(''));
}
