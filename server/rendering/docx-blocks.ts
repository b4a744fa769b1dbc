// The report documents' Word building blocks (the npm package `docx`), shared by the lägesbild (render-docx.ts) and
// the action plan's follow-up (render-follow-up.ts): the page (A4, 18 mm margins), headings that become Word's
// Heading 1–3 (navigation pane, table of contents), paragraphs and notes, tables of the shared model
// (report-tables.ts), two-column fact tables, and the document itself with its styles, header and page-numbered footer.
import {
  AlignmentType, BorderStyle, Document, Footer, Header, HeadingLevel, type ILevelsOptions, Packer, PageNumber, Paragraph,
  Table, TableCell, TableOfContents, TableRow, TextRun, WidthType,
} from 'docx';
import { estimatePageNumbers } from 'docx/layout';
import type { Cell, TableModel, Tone } from './report-tables.js';

/** Arial: in every Word; LibreOffice draws it with the metric-compatible Liberation Sans (the PDF's font) */
export const FONT = 'Arial';
export const BLUE = '1F4E79', GREY = '58606A', RED = 'A61B1B', GREEN = '1A6B35';
export const TONE_COLOR: Record<Tone, string> = { up: RED, down: GREEN, nosig: GREY };
/** A4 with 18 mm side margins: the text width in twentieths of a point */
export const PAGE_W = 11906, MARGIN_LR = 1021, MARGIN_TB = 1247, TEXT_W = PAGE_W - 2 * MARGIN_LR;
/** the text width in pixels at 96 dpi (ImageRun sizes) */
export const TEXT_W_PX = Math.floor((TEXT_W / 1440) * 96);

export type Block = Paragraph | Table | TableOfContents;

export const h1 = (text: string) => new Paragraph({ text, heading: HeadingLevel.HEADING_1, pageBreakBefore: true });
export const h1Here = (text: string) => new Paragraph({ text, heading: HeadingLevel.HEADING_1, spacing: { before: 400 } });
export const h2 = (text: string) => new Paragraph({ text, heading: HeadingLevel.HEADING_2, keepNext: true });
export const h3 = (text: string) => new Paragraph({ text, heading: HeadingLevel.HEADING_3, keepNext: true });
export const p = (text: string, o: { bold?: boolean; italics?: boolean; color?: string; size?: number } = {}) =>
  new Paragraph({ children: [new TextRun({ text, ...o })], spacing: { after: 120 } });
export const note = (text: string) => p(text, { color: GREY, size: 17 });

/** Staff text: paragraphs split at blank lines, lines kept. */
export function textParagraphs(text: string): Paragraph[] {
  return text.split(/\n\s*\n/).map((para) => para.trim()).filter(Boolean).map((para) => new Paragraph({
    children: para.split('\n').map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0 })), spacing: { after: 120 },
  }));
}

export const thin = { style: BorderStyle.SINGLE, size: 2, color: 'D5DAE1' };
export const strong = { style: BorderStyle.SINGLE, size: 8, color: '1B1F24' };
export const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

export function cellParagraphs(cell: Cell, header = false): Paragraph[] {
  const align = cell.numeric ? AlignmentType.RIGHT : AlignmentType.LEFT;
  const out = [new Paragraph({
    alignment: align,
    children: [new TextRun({ text: cell.text, bold: header || cell.tone === 'up' || cell.tone === 'down', size: header ? 17 : 18, color: cell.tone ? TONE_COLOR[cell.tone] : undefined })],
  })];
  if (cell.note) out.push(new Paragraph({ alignment: align, children: [new TextRun({ text: cell.note, size: 16, color: GREY })] }));
  return out;
}

/** Column widths (twips): the first column takes what the others leave, numeric columns share the rest evenly. */
export function widths(m: TableModel, first = 0.3): number[] {
  const n = m.head.length;
  if (n === 1) return [TEXT_W];
  const w0 = Math.round(TEXT_W * first);
  const rest = Math.floor((TEXT_W - w0) / (n - 1));
  return [w0, ...Array.from({ length: n - 1 }, () => rest)];
}

export function modelTable(m: TableModel, cols = widths(m)): Table {
  return new Table({
    width: { size: TEXT_W, type: WidthType.DXA }, columnWidths: cols,
    borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: thin, insideVertical: none },
    rows: [
      new TableRow({
        tableHeader: true, cantSplit: true,
        children: m.head.map((h, i) => new TableCell({
          width: { size: cols[i], type: WidthType.DXA }, borders: { bottom: strong },
          children: cellParagraphs({ text: h.text, numeric: h.numeric }, true),
        })),
      }),
      ...m.rows.map((r) => new TableRow({
        cantSplit: true,
        children: r.map((cell, i) => new TableCell({ width: { size: cols[i], type: WidthType.DXA }, children: cellParagraphs(cell) })),
      })),
    ],
  });
}

/** Two columns, labels left: the cover's facts, a place's status, a SMART goal. */
export function keyValueTable(rows: [string, Paragraph[] | string][], labelShare = 0.3): Table {
  const w0 = Math.round(TEXT_W * labelShare);
  const cols = [w0, TEXT_W - w0];
  return new Table({
    width: { size: TEXT_W, type: WidthType.DXA }, columnWidths: cols,
    borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: thin, insideVertical: none },
    rows: rows.map(([k, v]) => new TableRow({
      cantSplit: true,
      children: [
        new TableCell({ width: { size: cols[0], type: WidthType.DXA }, children: [new Paragraph({ children: [new TextRun({ text: k, bold: true, size: 18 })] })] }),
        new TableCell({ width: { size: cols[1], type: WidthType.DXA }, children: typeof v === 'string' ? [new Paragraph({ children: [new TextRun({ text: v, size: 18 })] })] : (v.length ? v : [new Paragraph('')]) }),
      ],
    })),
  });
}

/**
 * A report as a Word document: Arial with the reports' heading styles, A4 with 18 mm side margins, `headerText` at the
 * top of every page and `footerText` with "page x of y" at the bottom; the table of contents' page numbers are
 * estimated with the document (Word still offers to update them).
 */
export async function reportDocx(o: {
  title: string; subject: string; description: string; headerText: string; footerText: string; page: string; of: string;
  children: Block[]; numbering?: { reference: string; levels: ILevelsOptions[] }[];
}): Promise<Buffer> {
  const small = { size: 15, color: GREY };
  const doc = new Document({
    title: o.title,
    subject: o.subject,
    creator: 'Trygghetskarta',
    description: o.description,
    pageNumbers: estimatePageNumbers,
    features: { updateFields: true },
    styles: {
      default: {
        document: { run: { font: FONT, size: 20 }, paragraph: { spacing: { after: 80, line: 276 } } },
        title: { run: { font: FONT, size: 60, bold: true, color: BLUE } },
        heading1: { run: { font: FONT, size: 30, bold: true, color: BLUE }, paragraph: { spacing: { before: 120, after: 200 }, border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: BLUE, space: 4 } } } },
        heading2: { run: { font: FONT, size: 23, bold: true, color: '1B1F24' }, paragraph: { spacing: { before: 280, after: 100 } } },
        heading3: { run: { font: FONT, size: 20, bold: true, color: '1B1F24' }, paragraph: { spacing: { before: 200, after: 60 } } },
      },
    },
    numbering: { config: o.numbering ?? [] },
    sections: [{
      properties: { page: { size: { width: PAGE_W, height: 16838 }, margin: { top: MARGIN_TB, bottom: MARGIN_TB, left: MARGIN_LR, right: MARGIN_LR } } },
      headers: { default: new Header({ children: [new Paragraph({ children: [new TextRun({ text: o.headerText, ...small })] })] }) },
      footers: {
        default: new Footer({
          children: [new Paragraph({
            tabStops: [{ type: 'right', position: TEXT_W }],
            children: [
              new TextRun({ text: `${o.footerText}\t${o.page} `, ...small }),
              new TextRun({ children: [PageNumber.CURRENT], ...small }),
              new TextRun({ text: ` ${o.of} `, ...small }),
              new TextRun({ children: [PageNumber.TOTAL_PAGES], ...small }),
            ],
          })],
        }),
      },
      children: o.children,
    }],
  });
  return Packer.toBuffer(doc);
}
