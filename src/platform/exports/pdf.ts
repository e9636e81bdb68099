// PDF export with pdfkit: a tagged PDF (structure tree, language, title shown) so that a screen reader
// reads headings, lists and tables as such. The document title is the one H1 and the model's heading
// levels 1–3 become H2–H4, as on the HTML pages. Grid lines, repeated table headers and page numbers are
// artifacts: drawn, but not read again.
import PDFDocument from 'pdfkit';
import {
  celluleFr, columnWidths, dateLongueFr, decimalsOf, dateIso, isNumeric, valeurFr,
  LANGUE, type Block, type DocumentRapport, type Table,
} from './document-model.ts';

type Pdf = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

export interface PdfOptions {
  /** Uncompressed streams let tests read the content; production keeps the default. */
  compress?: boolean;
}

const MARGIN = 56;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const ITALIC = 'Helvetica-Oblique';
const BODY_SIZE = 10.5;
const TABLE_SIZE = 9;
const NOTE_SIZE = 8.5;
const CELL_PADDING = 4;
const HEADING_SIZES = { 1: 15, 2: 12.5, 3: 11 } as const;
const GRID_COLOR = '#8a8a8a';
const HEADER_FILL = '#e8ecf2';

const left = (pdf: Pdf) => pdf.page.margins.left;
const contentWidth = (pdf: Pdf) => pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
const bottom = (pdf: Pdf) => pdf.page.height - pdf.page.margins.bottom;

/** Starts a new page when `height` does not fit, so that a heading or a table row is never cut. */
function ensureSpace(pdf: Pdf, height: number): void {
  if (pdf.y + height > bottom(pdf)) pdf.addPage();
  pdf.x = left(pdf);
}

function artifact(pdf: Pdf, type: 'Layout' | 'Pagination', draw: () => void): void {
  pdf.markContent('Artifact', { type });
  draw();
  pdf.endMarkedContent();
}

function textBlock(pdf: Pdf, parent: Struct, tag: string, text: string, font: string, size: number, gapAfter: number): void {
  pdf.font(font).fontSize(size);
  parent.add(pdf.struct(tag, {}, () => { pdf.text(text, left(pdf), pdf.y, { width: contentWidth(pdf) }); }));
  pdf.moveDown(gapAfter);
}

function heading(pdf: Pdf, parent: Struct, level: 1 | 2 | 3, text: string): void {
  const size = HEADING_SIZES[level];
  pdf.font(BOLD).fontSize(size);
  pdf.moveDown(0.4);
  // Keep the heading with the first lines of what follows.
  ensureSpace(pdf, pdf.heightOfString(text, { width: contentWidth(pdf) }) + 3 * BODY_SIZE * 1.2);
  textBlock(pdf, parent, `H${level + 1}`, text, BOLD, size, 0.3);
}

/** Label and body side by side, as pdfkit's own lists do, but with each part closed in its own marked content. */
function listItem(pdf: Pdf, list: Struct, label: string, labelWidth: number, body: string, labelFont: string): void {
  pdf.font(labelFont).fontSize(BODY_SIZE);
  const lines = pdf.heightOfString(label, { width: labelWidth - 6 }) / pdf.currentLineHeight(true);
  ensureSpace(pdf, Math.min(Math.max(lines, 1), 3) * pdf.currentLineHeight(true));
  const y = pdf.y;
  const item = pdf.struct('LI');
  list.add(item);
  item.add(pdf.struct('Lbl', {}, () => { pdf.font(labelFont).text(label, left(pdf), y, { width: labelWidth - 6 }); }));
  const [labelPage, labelEnd] = [pdf.page, pdf.y];
  item.add(pdf.struct('LBody', {}, () => { pdf.font(FONT).text(body, left(pdf) + labelWidth, y, { width: contentWidth(pdf) - labelWidth }); }));
  item.end();
  // The item ends under the longer of label and body.
  if (pdf.page === labelPage) pdf.y = Math.max(pdf.y, labelEnd);
  pdf.x = left(pdf);
}

function list(pdf: Pdf, parent: Struct, items: readonly [string, string][], labelWidth: number, labelFont: string): void {
  const l = pdf.struct('L');
  parent.add(l);
  for (const [label, body] of items) listItem(pdf, l, label, labelWidth, body, labelFont);
  l.end();
  pdf.moveDown(0.5);
}

// Numbers align right, their header with them.
interface Grid { xs: number[]; widths: number[]; align: ('left' | 'right')[] }

function rowHeight(pdf: Pdf, grid: Grid, texts: readonly string[], font: string): number {
  pdf.font(font).fontSize(TABLE_SIZE);
  const heights = texts.map((text, i) => pdf.heightOfString(text, { width: (grid.widths[i] ?? 0) - 2 * CELL_PADDING }));
  return Math.max(TABLE_SIZE, ...heights) + 2 * CELL_PADDING;
}

/** One row; `row` is its structure element, or null for a header repeated on a new page (an artifact). */
function drawRow(pdf: Pdf, grid: Grid, texts: readonly string[], header: boolean, row: Struct | null): void {
  const font = header ? BOLD : FONT;
  const height = rowHeight(pdf, grid, texts, font);
  const y = pdf.y;
  artifact(pdf, 'Layout', () => {
    pdf.save().lineWidth(0.5).strokeColor(GRID_COLOR);
    grid.xs.forEach((x, i) => {
      pdf.rect(x, y, grid.widths[i] ?? 0, height);
      if (header) pdf.fillAndStroke(HEADER_FILL, GRID_COLOR); else pdf.stroke();
    });
    pdf.restore();
  });
  pdf.font(font).fontSize(TABLE_SIZE).fillColor('black');
  const drawCell = (i: number) => () => {
    pdf.text(texts[i] ?? '', (grid.xs[i] ?? 0) + CELL_PADDING, y + CELL_PADDING,
      { width: (grid.widths[i] ?? 0) - 2 * CELL_PADDING, align: grid.align[i] });
  };
  if (row) {
    texts.forEach((_, i) => {
      // pdfkit turns `scope` into the Table attribute /Scope /Column; its typings do not list it.
      const options = (header ? { scope: 'Column' } : {}) as PDFKit.Mixins.StructureElementOptions;
      row.add(pdf.struct(header ? 'TH' : 'TD', options, drawCell(i)));
    });
    row.end();
  } else {
    artifact(pdf, 'Pagination', () => texts.forEach((_, i) => drawCell(i)()));
  }
  pdf.y = y + height;
  pdf.x = left(pdf);
}

function table(pdf: Pdf, parent: Struct, data: Table): void {
  const chars = columnWidths(data);
  const total = chars.reduce((a, b) => a + b, 0) || 1;
  const widths = chars.map((c) => (c / total) * contentWidth(pdf));
  const xs = widths.map((_, i) => left(pdf) + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const grid: Grid = { xs, widths, align: data.columns.map((c) => (isNumeric(c) ? 'right' : 'left')) };
  const decimals = data.columns.map((c) => decimalsOf(c, data.rows));
  const labels = data.columns.map((c) => c.label);
  const cells = data.rows.map((row) => data.columns.map((c, i) => celluleFr(row[c.key], c, decimals[i] ?? 0)));

  pdf.font(BOLD).fontSize(BODY_SIZE);
  const firstRows = rowHeight(pdf, grid, labels, BOLD) + (cells[0] ? rowHeight(pdf, grid, cells[0], FONT) : 0);
  pdf.moveDown(0.3);
  ensureSpace(pdf, pdf.heightOfString(data.caption, { width: contentWidth(pdf) }) + 4 + firstRows);
  const struct = pdf.struct('Table');
  parent.add(struct);
  struct.add(pdf.struct('Caption', {}, () => { pdf.font(BOLD).fontSize(BODY_SIZE).text(data.caption, left(pdf), pdf.y, { width: contentWidth(pdf) }); }));
  pdf.y += 4;
  const head = pdf.struct('THead');
  struct.add(head);
  const headerRow = pdf.struct('TR');
  head.add(headerRow);
  drawRow(pdf, grid, labels, true, headerRow);
  head.end();
  const body = pdf.struct('TBody');
  struct.add(body);
  for (const texts of cells) {
    const height = rowHeight(pdf, grid, texts, FONT);
    if (pdf.y + height > bottom(pdf)) {
      pdf.addPage();
      drawRow(pdf, grid, labels, true, null);
    }
    const row = pdf.struct('TR');
    body.add(row);
    drawRow(pdf, grid, texts, false, row);
  }
  body.end();
  struct.end();
  pdf.moveDown(0.3);
  for (const note of data.notes ?? []) textBlock(pdf, parent, 'P', note, ITALIC, NOTE_SIZE, 0.1);
  pdf.moveDown(0.6);
}

function block(pdf: Pdf, parent: Struct, b: Block): void {
  switch (b.kind) {
    case 'heading': return heading(pdf, parent, b.level, b.text);
    case 'paragraph': {
      const font = b.emphasis === 'strong' ? BOLD : b.emphasis === 'em' ? ITALIC : FONT;
      return textBlock(pdf, parent, 'P', b.text, font, BODY_SIZE, 0.5);
    }
    case 'list': return list(pdf, parent, b.items.map((item) => ['•', item]), 14, FONT);
    case 'keyValue': return list(pdf, parent, b.pairs.map((p) => [p.label, valeurFr(p.value)]), contentWidth(pdf) * 0.4, BOLD);
    case 'table': return table(pdf, parent, b.table);
    case 'pageBreak': pdf.addPage(); return;
  }
}

function pageNumbers(pdf: Pdf): void {
  const { start, count } = pdf.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    pdf.switchToPage(i);
    const margin = pdf.page.margins.bottom;
    // Writing under the bottom margin would otherwise start a new page.
    pdf.page.margins.bottom = 0;
    artifact(pdf, 'Pagination', () => {
      pdf.font(FONT).fontSize(NOTE_SIZE).fillColor('#444444')
        .text(`Page ${i - start + 1} sur ${count}`, left(pdf), pdf.page.height - margin + 18, { width: contentWidth(pdf), align: 'center', lineBreak: false });
    });
    pdf.page.margins.bottom = margin;
  }
}

export function rapportEnPdf(doc: DocumentRapport, options: PdfOptions = {}): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    pdfVersion: '1.7',
    tagged: true,
    lang: LANGUE,
    displayTitle: true,
    bufferPages: true,
    compress: options.compress ?? true,
    info: {
      Title: doc.titre,
      ...(doc.auteur ? { Author: doc.auteur } : {}),
      ...(doc.sousTitre ? { Subject: doc.sousTitre } : {}),
      Creator: 'Pilotis',
      CreationDate: dateIso(doc.date) ?? new Date(),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const root = pdf.struct('Document');
  pdf.addStructure(root);
  textBlock(pdf, root, 'H1', doc.titre, BOLD, 20, 0.3);
  if (doc.sousTitre) textBlock(pdf, root, 'P', doc.sousTitre, FONT, 13, 0.2);
  textBlock(pdf, root, 'P', [doc.auteur, dateLongueFr(doc.date)].filter(Boolean).join(' — '), ITALIC, BODY_SIZE, 1);
  for (const section of doc.sections) {
    const sect = pdf.struct('Sect');
    root.add(sect);
    if (section.titre) heading(pdf, sect, 1, section.titre);
    for (const b of section.blocks) block(pdf, sect, b);
    sect.end();
  }
  root.end();
  pageNumbers(pdf);
  pdf.end();
  return done;
}
