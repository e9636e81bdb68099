// Word export with the `docx` package. Structure is carried by Word's own styles (Title, Heading 1–3,
// Caption, list numbering) so that the navigation pane, a table of contents and screen readers find it;
// table header rows repeat on every page and are announced as headers. The document language is the
// default run language (styles.xml), which is where Word itself keeps it.
import {
  AlignmentType, Document, Footer, HeadingLevel, Packer, PageBreak, PageNumber, Paragraph, ShadingType,
  Table as WordTable, TableCell, TableRow, TextRun, WidthType,
} from 'docx';
import {
  celluleFr, columnWidths, dateLongueFr, decimalsOf, isNumeric, valeurFr,
  LANGUE, type Block, type DocumentRapport, type Table,
} from './document-model.ts';

// A4 with 2 cm margins, in twips (twentieths of a point).
const PAGE = { width: 11906, height: 16838, margin: 1134 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const HEADER_FILL = 'E8ECF2';
const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
// Sizes in half-points.
const TABLE_SIZE = 18;
const NOTE_SIZE = 16;

function cellParagraph(text: string, bold: boolean, alignment: (typeof AlignmentType)[keyof typeof AlignmentType]): Paragraph {
  return new Paragraph({ alignment, spacing: { before: 0, after: 0 }, children: [new TextRun({ text, size: TABLE_SIZE, ...(bold ? { bold } : {}) })] });
}

function table(data: Table): (Paragraph | WordTable)[] {
  const chars = columnWidths(data);
  const total = chars.reduce((a, b) => a + b, 0) || 1;
  const widths = chars.map((c) => Math.floor((c / total) * CONTENT_WIDTH));
  const decimals = data.columns.map((c) => decimalsOf(c, data.rows));
  const cell = (paragraph: Paragraph, i: number, header: boolean) => new TableCell({
    children: [paragraph],
    width: { size: widths[i] ?? 0, type: WidthType.DXA },
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: HEADER_FILL } } : {}),
  });
  // Numbers align right, their header with them, so that units and digits line up.
  const align = data.columns.map((c) => (isNumeric(c) ? AlignmentType.RIGHT : AlignmentType.LEFT));
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: data.columns.map((c, i) => cell(cellParagraph(c.label, true, align[i] ?? AlignmentType.LEFT), i, true)),
  });
  const rows = data.rows.map((row) => new TableRow({
    cantSplit: true,
    children: data.columns.map((c, i) => cell(cellParagraph(celluleFr(row[c.key], c, decimals[i] ?? 0), false, align[i] ?? AlignmentType.LEFT), i, false)),
  }));
  return [
    // Keeping the caption with the table stops it from ending a page alone.
    new Paragraph({ style: 'Caption', keepNext: true, children: [new TextRun(data.caption)] }),
    new WordTable({ rows: [header, ...rows], columnWidths: widths, width: { size: CONTENT_WIDTH, type: WidthType.DXA } }),
    ...(data.notes ?? []).map((note) => new Paragraph({ spacing: { before: 60, after: 0 }, children: [new TextRun({ text: note, italics: true, size: NOTE_SIZE })] })),
    new Paragraph({}),
  ];
}

function block(b: Block): (Paragraph | WordTable)[] {
  switch (b.kind) {
    case 'heading':
      return [new Paragraph({ heading: HEADINGS[b.level], children: [new TextRun(b.text)] })];
    case 'paragraph':
      return [new Paragraph({ children: [new TextRun({ text: b.text, ...(b.emphasis === 'strong' ? { bold: true } : b.emphasis === 'em' ? { italics: true } : {}) })] })];
    case 'list':
      return b.items.map((item) => new Paragraph({ bullet: { level: 0 }, children: [new TextRun(item)] }));
    case 'keyValue':
      return b.pairs.map((p) => new Paragraph({ children: [new TextRun({ text: `${p.label} : `, bold: true }), new TextRun(valeurFr(p.value))] }));
    case 'table':
      return table(b.table);
    case 'pageBreak':
      return [new Paragraph({ children: [new PageBreak()] })];
  }
}

const pageFooter = () => new Footer({
  children: [new Paragraph({
    alignment: AlignmentType.CENTER,
    children: [new TextRun({ children: ['Page ', PageNumber.CURRENT, ' sur ', PageNumber.TOTAL_PAGES], size: NOTE_SIZE })],
  })],
});

export function rapportEnDocx(doc: DocumentRapport): Promise<Buffer> {
  const children: (Paragraph | WordTable)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(doc.titre)] }),
    ...(doc.sousTitre ? [new Paragraph({ children: [new TextRun({ text: doc.sousTitre, size: 28 })] })] : []),
    new Paragraph({ children: [new TextRun({ text: [doc.auteur, dateLongueFr(doc.date)].filter(Boolean).join(' — '), italics: true })] }),
  ];
  for (const section of doc.sections) {
    if (section.titre) children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(section.titre)] }));
    for (const b of section.blocks) children.push(...block(b));
  }
  const word = new Document({
    title: doc.titre,
    creator: doc.auteur ?? 'Pilotis',
    ...(doc.sousTitre ? { subject: doc.sousTitre } : {}),
    styles: { default: { document: { run: { language: { value: LANGUE }, font: 'Calibri', size: 22 } } } },
    sections: [{
      properties: { page: { size: { width: PAGE.width, height: PAGE.height }, margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin } } },
      footers: { default: pageFooter() },
      children,
    }],
  });
  return Packer.toBuffer(word);
}
