import { describe, expect, it } from 'vitest';
import type { DocumentRapport } from './document-model.ts';
import { rapportEnPdf } from './pdf.ts';

const NBSP = '\u00a0';

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
        { kind: 'list', items: ['Premier point', 'Second point'] },
        { kind: 'keyValue', pairs: [{ label: 'Crédits engagés', value: 1234567.5 }, { label: 'Dossiers', value: null }] },
      ],
    },
    {
      titre: 'Réalisation',
      blocks: [
        { kind: 'heading', level: 2, text: 'Par quartier' },
        {
          kind: 'table',
          table: {
            caption: 'Réalisation par quartier',
            columns: [
              { key: 'quartier', label: 'Quartier', type: 'text' },
              { key: 'montant', label: 'Montant (€)', type: 'number' },
              { key: 'taux', label: 'Taux de réalisation', type: 'percent' },
              { key: 'ecart', label: '« Écart »', type: 'number' },
            ],
            rows: Array.from({ length: 120 }, (_, i) => ({ quartier: `Quartier n° ${i + 1}`, montant: 1000 * i, taux: 100 + i / 10, ecart: i === 0 ? null : -i })),
            notes: ['Source : fiches de suivi 2024.'],
          },
        },
      ],
    },
  ],
};

// WinAnsi is Latin-1 but for 0x80–0x9F; Node 20's TextDecoder('windows-1252') decodes those as Latin-1.
const WIN_ANSI_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const winAnsi = (hex: string) => [...Buffer.from(hex, 'hex')].map((b) => (b >= 0x80 && b <= 0x9f ? WIN_ANSI_80_9F[b - 0x80] : String.fromCharCode(b))).join('');

/** The text shown by an uncompressed pdfkit file: one string per text operation, standard fonts being WinAnsi-encoded. */
function shownTexts(pdf: string): string[] {
  return [...pdf.matchAll(/\[((?:<[0-9a-f]*>\s*-?[\d.]*\s*)+)\] TJ/g)].map((m) => [...m[1]!.matchAll(/<([0-9a-f]*)>/g)].map((h) => winAnsi(h[1]!)).join(''));
}

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe('PDF report', async () => {
  const pdf = (await rapportEnPdf(rapport, { compress: false })).toString('latin1');
  const texts = shownTexts(pdf);
  const pages = count(pdf, /\/Type \/Page\b(?!s)/g);

  it('is a tagged PDF in French that shows its title', () => {
    expect(pdf.startsWith('%PDF-1.7')).toBe(true);
    expect(pdf).toContain('/Lang (fr-FR)');
    expect(pdf).toContain('/StructTreeRoot');
    expect(pdf).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(pdf).toContain('/Marked true');
    expect(pdf).toContain('/DisplayDocTitle true');
    expect(pdf).toMatch(/\/Title \d+ 0 R/);
    expect(pdf).toContain('(Bilan 2024 du contrat de ville)');
  });

  it('tags one H1 for the title, and the report headings one level below', () => {
    expect(count(pdf, /\/S \/H1\b/g)).toBe(1);
    expect(count(pdf, /\/S \/H2\b/g)).toBe(2);
    expect(count(pdf, /\/S \/H3\b/g)).toBe(1);
    expect(count(pdf, /\/S \/L\b/g)).toBe(2);
    expect(count(pdf, /\/S \/LI\b/g)).toBe(4);
  });

  it('paginates a long table, repeating its header on each page without tagging it again', () => {
    expect(pages).toBeGreaterThan(2);
    expect(count(pdf, /\/S \/Table\b/g)).toBe(1);
    expect(count(pdf, /\/S \/TR\b/g)).toBe(121);
    expect(count(pdf, /\/S \/TH\b/g)).toBe(4);
    expect(count(pdf, /\/Scope \/Column/g)).toBe(4);
    // Each page's content ends with its footer: the texts between two footers are one page.
    const byPage: string[][] = [[]];
    for (const t of texts) if (t.startsWith('Page ')) byPage.push([]); else byPage.at(-1)!.push(t);
    const withRows = byPage.filter((page) => page.some((t) => t.startsWith('Quartier n° ')));
    expect(withRows.length).toBe(pages);
    for (const page of withRows) {
      expect(page.filter((t) => t === 'Montant (€)')).toHaveLength(1);
      expect(page.indexOf('Montant (€)')).toBeLessThan(page.findIndex((t) => t.startsWith('Quartier n° ')));
    }
    for (let i = 1; i <= 120; i++) expect(texts.filter((t) => t === `Quartier n° ${i}`)).toHaveLength(1);
  });

  it('numbers every page "Page N sur M"', () => {
    expect(texts.filter((t) => t.startsWith('Page '))).toEqual(Array.from({ length: pages }, (_, i) => `Page ${i + 1} sur ${pages}`));
  });

  it('writes French numbers, percentages, dashes for missing values, accents and quotes', () => {
    expect(texts).toContain('L’« Écart » se réduit ‘nettement’.');
    expect(texts).toContain('« Écart »');
    expect(texts).toContain(`1${NBSP}234${NBSP}567,50`);
    expect(texts).toContain(`119${NBSP}000`);
    expect(texts).toContain(`111,9${NBSP}%`);
    expect(texts).toContain('-119');
    expect(texts.filter((t) => t === '—')).toHaveLength(2);
    expect(texts).toContain('Direction de projet — 5 mars 2025');
    expect(texts).toContain('Source : fiches de suivi 2024.');
  });

  it('is compressed unless told otherwise', async () => {
    const compressed = await rapportEnPdf(rapport);
    expect(compressed.subarray(0, 5).toString()).toBe('%PDF-');
    expect(compressed.length).toBeLessThan(pdf.length / 2);
  });
});
