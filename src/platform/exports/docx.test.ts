import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DocumentRapport } from './document-model.ts';
import { rapportEnDocx } from './docx.ts';

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
        { kind: 'paragraph', text: 'L’« Écart » se réduit ‘nettement’.', emphasis: 'strong' },
        { kind: 'list', items: ['Premier point', 'Second point'] },
        { kind: 'keyValue', pairs: [{ label: 'Crédits engagés', value: 1234567.5 }] },
        { kind: 'pageBreak' },
      ],
    },
    {
      titre: 'Réalisation',
      blocks: [
        { kind: 'heading', level: 3, text: 'Par quartier' },
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
            rows: Array.from({ length: 120 }, (_, i) => ({ quartier: `Quartier n° ${i + 1}`, montant: 1000 * i, taux: 100 + i / 10, ecart: i === 0 ? null : i })),
            notes: ['Source : fiches de suivi 2024.'],
          },
        },
      ],
    },
  ],
};

/** The files of a zip archive (stored or deflated entries), read from its central directory. */
function unzip(zip: Buffer): Map<string, string> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, string>();
  for (let i = 0; i < entries; i++) {
    const [method, size, nameLength, extraLength, commentLength, local] = [
      zip.readUInt16LE(at + 10), zip.readUInt32LE(at + 20), zip.readUInt16LE(at + 28), zip.readUInt16LE(at + 30), zip.readUInt16LE(at + 32), zip.readUInt32LE(at + 42),
    ];
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

/** Paragraph texts with their style, in document order. */
function paragraphs(xml: string): { style: string | undefined; text: string }[] {
  return [...xml.matchAll(/<w:p>(.*?)<\/w:p>/g)].map((m) => ({
    style: /<w:pStyle w:val="([^"]+)"\/>/.exec(m[1]!)?.[1],
    text: [...m[1]!.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
  }));
}

describe('Word report', async () => {
  const files = unzip(await rapportEnDocx(rapport));
  const document = files.get('word/document.xml') ?? '';
  const styled = paragraphs(document).filter((p) => p.style);

  it('is a Word document whose title, author and language are set', () => {
    expect([...files.keys()]).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'word/styles.xml', 'docProps/core.xml']));
    expect(files.get('docProps/core.xml')).toContain('<dc:title>Bilan 2024 du contrat de ville</dc:title>');
    expect(files.get('docProps/core.xml')).toContain('<dc:creator>Direction de projet</dc:creator>');
    expect(files.get('word/styles.xml')).toMatch(/<w:docDefaults>.*<w:lang w:val="fr-FR"\/>.*<\/w:docDefaults>/s);
  });

  it('marks the title, headings and caption with Word styles', () => {
    expect(styled.filter((p) => /^(Title|Heading\d|Caption)$/.test(p.style!))).toEqual([
      { style: 'Title', text: 'Bilan 2024 du contrat de ville' },
      { style: 'Heading1', text: 'Synthèse' },
      { style: 'Heading1', text: 'Réalisation' },
      { style: 'Heading3', text: 'Par quartier' },
      { style: 'Caption', text: 'Réalisation par quartier' },
    ]);
  });

  it('writes every row, the header row marked to repeat on each page', () => {
    expect(document.match(/<w:tr>/g)).toHaveLength(121);
    expect(document.match(/<w:tblHeader\/>/g)).toHaveLength(1);
    const header = /<w:tr>(.*?)<\/w:tr>/.exec(document)![1]!;
    expect(header).toContain('<w:tblHeader/>');
    expect(header).toContain('« Écart »');
  });

  it('writes French numbers, percentages, dashes, accents and quotes', () => {
    const texts = paragraphs(document).map((p) => p.text);
    expect(texts).toContain('L’« Écart » se réduit ‘nettement’.');
    expect(texts).toContain(`Crédits engagés : 1${NBSP}234${NBSP}567,50`);
    expect(texts).toContain(`119${NBSP}000`);
    expect(texts).toContain(`111,9${NBSP}%`);
    expect(texts.filter((t) => t === '—')).toHaveLength(1);
    expect(texts).toContain('Source : fiches de suivi 2024.');
    expect(texts).toContain('Direction de projet — 5 mars 2025');
  });

  it('numbers pages in the footer and breaks the page where asked', () => {
    const footer = [...files.entries()].find(([name]) => /^word\/footer\d+\.xml$/.test(name))?.[1] ?? '';
    expect(footer).toContain('Page ');
    expect(footer).toContain(' sur ');
    expect(footer).toMatch(/PAGE.*NUMPAGES/s);
    expect(document).toContain('<w:br w:type="page"/>');
  });

  it('makes list items Word bullets', () => {
    const items = [...document.matchAll(/<w:p>(?:(?!<\/w:p>).)*<w:numPr>(?:(?!<\/w:p>).)*<\/w:p>/g)].map((m) => paragraphs(m[0])[0]?.text);
    expect(items).toEqual(['Premier point', 'Second point']);
  });
});
