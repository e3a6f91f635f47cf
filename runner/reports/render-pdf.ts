// A report as PDF with pdfkit: text set in a system TrueType family when there is one,
// Vega charts drawn as vectors (svg-to-pdfkit), figures from Python as images, tables as
// a grid whose header repeats on each page and whose cells are cut to fit their column.
// Nothing here needs a browser.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { systemFontFamily } from './fonts.ts';
import type { Span, TextBlock } from './markdown.ts';
import type { ReportModel, ReportTableModel } from './report-model.ts';

/** svg-to-pdfkit ships no types: the one function we call, typed here. */
type SvgToPdf = (doc: PDFKit.PDFDocument, svg: string, x: number, y: number, o: { width: number; height: number; fontCallback: (family: string, bold: boolean, italic: boolean) => string }) => void;
const SVGtoPDF = createRequire(import.meta.url)('svg-to-pdfkit') as SvgToPdf;

const MARGIN = 48;
const INK = '#1f2430';
const MUTED = '#5b6272';
const LINE = '#e3e6ec';

interface Fonts {
  regular: string;
  bold: string;
  italic: string;
  mono: string;
  /** text the fonts can draw (the standard fonts know only Latin-1) */
  clean: (s: string) => string;
}

function setUpFonts(doc: PDFKit.PDFDocument): Fonts {
  const f = systemFontFamily();
  if (!f) {
    const clean = (s: string) => s.replace(/[^\x20-\x7e\xa0-\xff\n]/g, '?');
    return { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique', mono: 'Courier', clean };
  }
  doc.registerFont('R', f.regular);
  doc.registerFont('B', f.bold);
  doc.registerFont('I', f.italic);
  if (f.mono) doc.registerFont('M', f.mono);
  return { regular: 'R', bold: 'B', italic: 'I', mono: f.mono ? 'M' : 'R', clean: (s) => s };
}

export async function renderPdf(m: ReportModel, dir: string, file: string): Promise<void> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: m.title, Author: m.facts.owner ?? 'Aqueduct', Creator: 'Aqueduct' } });
  const out = fs.createWriteStream(file);
  const finished = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    doc.on('error', reject);
  });
  doc.pipe(out);
  const fonts = setUpFonts(doc);
  const width = doc.page.width - 2 * MARGIN;

  doc.font(fonts.bold).fontSize(20).fillColor(INK).text(fonts.clean(m.title), { width });
  const meta = [m.facts.workflow, `run ${m.facts.runId.slice(0, 8)}`, m.facts.date, m.facts.owner ? `owner ${m.facts.owner}` : undefined].filter(Boolean).join(' · ');
  doc.moveDown(0.2).font(fonts.regular).fontSize(9).fillColor(MUTED).text(fonts.clean(meta), { width }).moveDown(1);
  for (const b of m.blocks) textBlock(doc, b, fonts, width);

  for (const c of m.charts) {
    const scale = Math.min(1, width / c.width);
    const w = c.width * scale;
    const h = c.height * scale;
    ensureSpace(doc, h + 30);
    doc.moveDown(0.5);
    if (c.title) doc.font(fonts.bold).fontSize(11).fillColor(INK).text(fonts.clean(c.title), { width }).moveDown(0.3);
    const y = doc.y;
    if (c.svg) {
      SVGtoPDF(doc, fs.readFileSync(path.join(dir, c.svg), 'utf8'), MARGIN, y, {
        width: w,
        height: h,
        fontCallback: (_family, bold, italic) => (bold ? fonts.bold : italic ? fonts.italic : fonts.regular),
      });
    } else {
      doc.image(path.join(dir, c.png), MARGIN, y, { width: w, height: h });
    }
    doc.y = y + h + 4;
    doc.x = MARGIN;
    if (c.note) doc.font(fonts.regular).fontSize(8).fillColor(MUTED).text(fonts.clean(c.note), { width });
    doc.moveDown(0.5);
  }
  for (const t of m.tables) table(doc, t, fonts, width);
  doc.end();
  await finished;
}

function ensureSpace(doc: PDFKit.PDFDocument, h: number): void {
  if (doc.y + h > doc.page.height - MARGIN) doc.addPage();
}

function styledSpans(doc: PDFKit.PDFDocument, list: Span[], fonts: Fonts, size: number, width: number, o: { indent?: number; bold?: boolean } = {}): void {
  const parts = list.length ? list : [{ text: '' }];
  parts.forEach((s, i) => {
    const font = s.code ? fonts.mono : s.bold || o.bold ? fonts.bold : s.italic ? fonts.italic : fonts.regular;
    doc.font(font).fontSize(size).fillColor(s.href ? '#1a5fb4' : INK);
    const opts: PDFKit.Mixins.TextOptions = { width: width - (o.indent ?? 0), continued: i < parts.length - 1, link: s.href, underline: !!s.href };
    if (i === 0 && o.indent) doc.text(fonts.clean(s.text), MARGIN + o.indent, doc.y, opts);
    else doc.text(fonts.clean(s.text), opts);
  });
  doc.x = MARGIN;
}

function textBlock(doc: PDFKit.PDFDocument, b: TextBlock, fonts: Fonts, width: number): void {
  if (b.type === 'heading') {
    ensureSpace(doc, 40);
    doc.moveDown(0.4);
    styledSpans(doc, b.spans, fonts, ({ 1: 16, 2: 13, 3: 11 } as const)[b.level], width, { bold: true });
    doc.moveDown(0.3);
  } else if (b.type === 'paragraph') {
    styledSpans(doc, b.spans, fonts, 10, width);
    doc.moveDown(0.6);
  } else {
    b.items.forEach((item, i) => {
      const y = doc.y;
      doc.font(fonts.regular).fontSize(10).fillColor(INK).text(b.ordered ? `${i + 1}.` : '•', MARGIN + 4, y, { width: 14 });
      doc.y = y;
      styledSpans(doc, item, fonts, 10, width, { indent: 20 });
    });
    doc.moveDown(0.6);
  }
}

/** Cuts `s` with an ellipsis so it fits `w` points in the current font. */
function fit(doc: PDFKit.PDFDocument, s: string, w: number): string {
  if (doc.widthOfString(s) <= w) return s;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${s.slice(0, mid)}…`) <= w) lo = mid;
    else hi = mid - 1;
  }
  return `${s.slice(0, lo)}…`;
}

function table(doc: PDFKit.PDFDocument, t: ReportTableModel, fonts: Fonts, width: number): void {
  const size = 8;
  const pad = 4;
  const rowH = 14;
  const cells = t.rows.map((r) => r.map(fonts.clean));
  const header = t.columns.map(fonts.clean);
  doc.fontSize(size);
  const natural = header.map((h, j) => {
    doc.font(fonts.bold);
    let w = doc.widthOfString(h);
    doc.font(fonts.regular);
    for (const r of cells.slice(0, 200)) w = Math.max(w, doc.widthOfString(r[j] ?? ''));
    return Math.min(w, 180) + 2 * pad;
  });
  const total = natural.reduce((a, b) => a + b, 0);
  const widths = natural.map((w) => (total > width ? (w * width) / total : w));
  const drawRow = (values: string[], bold: boolean) => {
    let x = MARGIN;
    const y = doc.y;
    if (bold) doc.rect(MARGIN, y, widths.reduce((a, b) => a + b, 0), rowH).fill('#f4f6f9');
    doc.font(bold ? fonts.bold : fonts.regular).fontSize(size).fillColor(INK);
    values.forEach((v, j) => {
      const w = widths[j]!;
      doc.text(fit(doc, v, w - 2 * pad), x + pad, y + 3, { width: w - 2 * pad, align: t.numeric[j] && !bold ? 'right' : 'left', lineBreak: false });
      x += w;
    });
    doc.moveTo(MARGIN, y + rowH).lineTo(x, y + rowH).lineWidth(0.5).strokeColor(LINE).stroke();
    doc.x = MARGIN;
    doc.y = y + rowH;
  };
  ensureSpace(doc, 3 * rowH + 30);
  doc.moveDown(0.5).font(fonts.bold).fontSize(11).fillColor(INK).text(fonts.clean(t.title), MARGIN, doc.y, { width }).moveDown(0.3);
  drawRow(header, true);
  for (const r of cells) {
    if (doc.y + rowH > doc.page.height - MARGIN) {
      doc.addPage();
      drawRow(header, true);
    }
    drawRow(r, false);
  }
  const note = t.total > t.rows.length ? `first ${t.rows.length.toLocaleString('en-US')} of ${t.total.toLocaleString('en-US')} rows` : `${t.total.toLocaleString('en-US')} rows`;
  doc.moveDown(0.3).font(fonts.regular).fontSize(8).fillColor(MUTED).text(note, MARGIN, doc.y, { width }).moveDown(0.8);
}
