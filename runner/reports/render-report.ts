// Renders one report node: fills the placeholders, reads the first rows of each table and
// the rows of each chart, draws the charts, and writes report.json, report.html and
// report.pdf into the report's folder (atomically). Problems name the part of the report
// at fault (tables[0], charts[1]) in one sentence.
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { ParamValue } from '../api/types.ts';
import type { ReportChart, ReportTable } from '../spec/schema.ts';
import { ChartError, renderVegaLite } from './charts.ts';
import { formatValue } from './format.ts';
import { parseMarkdown } from './markdown.ts';
import { fillPlaceholders } from './placeholders.ts';
import { ColumnMissingError, isNumericType, readFirstRows } from './report-data.ts';
import { folderBytes, writeReportFolder, type ReportFiles } from './report-files.ts';
import type { ReportChartModel, ReportModel, ReportTableModel } from './report-model.ts';
import { renderHtml } from './render-html.ts';
import { renderPdf } from './render-pdf.ts';

export interface ReportSpec {
  id: string;
  title: string;
  text?: string;
  tables?: ReportTable[];
  charts?: ReportChart[];
}

export interface ReportSources {
  duck: DuckDBInstance;
  /** table inputs: node id → Parquet file */
  tables: Map<string, string>;
  /** metric and check values of the inputs, by node id */
  values: Record<string, ParamValue | undefined>;
  /** figures of python inputs: node id → PNG file */
  figures: Map<string, string>;
  params: Record<string, ParamValue>;
  facts: Omit<ReportModel['facts'], 'nodeId'>;
  signal?: AbortSignal;
}

export class ReportError extends Error {
  constructor(readonly field: string, message: string, readonly fix?: string) {
    super(`${field}: ${message}`);
    this.name = 'ReportError';
  }
}

export const DEFAULT_TABLE_ROWS = 20;
export const DEFAULT_CHART_ROWS = 5000;

export async function renderReport(spec: ReportSpec, src: ReportSources, files: ReportFiles): Promise<{ model: ReportModel; bytes: number }> {
  const values: ReportModel['values'] = { ...src.params, workflow: src.facts.workflow, run_id: src.facts.runId, date: src.facts.date };
  for (const [k, v] of Object.entries(src.values)) if (v !== undefined) values[k] = v;
  const title = fillPlaceholders(spec.title, values);
  values.title = title;
  const model: ReportModel = {
    title,
    blocks: parseMarkdown(fillPlaceholders(spec.text ?? '', values)),
    tables: [],
    charts: [],
    values,
    facts: { ...src.facts, nodeId: spec.id },
    sources: Object.fromEntries(src.tables),
  };
  for (const [i, t] of (spec.tables ?? []).entries()) {
    src.signal?.throwIfAborted();
    model.tables.push(await tableModel(t, i, src));
  }
  await writeReportFolder(files.dir, async (tmp) => {
    for (const [i, c] of (spec.charts ?? []).entries()) {
      src.signal?.throwIfAborted();
      model.charts.push(await chartModel(c, i, src, tmp));
    }
    fs.writeFileSync(path.join(tmp, 'report.json'), JSON.stringify(model, null, 1));
    fs.writeFileSync(path.join(tmp, 'report.html'), renderHtml(model, { dir: tmp, images: 'svg' }));
    await renderPdf(model, tmp, path.join(tmp, 'report.pdf'));
  });
  return { model, bytes: folderBytes(files.dir) };
}

async function tableModel(t: ReportTable, i: number, src: ReportSources): Promise<ReportTableModel> {
  const file = src.tables.get(t.input);
  if (!file) throw new ReportError(`tables[${i}]`, `input "${t.input}" gave no table in this run`, `add "${t.input}" to inputs: and make it a source, sql or python node`);
  let page;
  try {
    page = await readFirstRows(src.duck, file, t.rows ?? DEFAULT_TABLE_ROWS, t.columns);
  } catch (e) {
    if (e instanceof ColumnMissingError) throw new ReportError(`tables[${i}].columns`, `${t.input} has ${e.message}`, 'fix the column names under columns:');
    throw e;
  }
  for (const name of Object.keys(t.format ?? {})) {
    if (!page.columns.some((c) => c.name === name)) throw new ReportError(`tables[${i}].format`, `no column "${name}" in the table shown`, `format one of ${page.columns.map((c) => c.name).join(', ')}`);
  }
  const numeric = page.columns.map((c) => isNumericType(c.type) && !/^text/.test(t.format?.[c.name] ?? ''));
  return {
    title: t.title ?? t.input,
    input: t.input,
    columns: page.columns.map((c) => c.name),
    numeric,
    rows: page.rows.map((r) => page.columns.map((c) => formatValue(r[c.name], t.format?.[c.name]))),
    total: page.total,
  };
}

async function chartModel(c: ReportChart, i: number, src: ReportSources, dir: string): Promise<ReportChartModel> {
  const field = `charts[${i}]`;
  const title = c.title ?? '';
  const base = `chart-${i + 1}`;
  if (c.figure) {
    const png = src.figures.get(c.figure);
    if (!png || !fs.existsSync(png)) {
      throw new ReportError(`${field}.figure`, `python node "${c.figure}" returned no figure in this run`, 'return a matplotlib or plotly figure (or PNG bytes) from its run()');
    }
    const data = fs.readFileSync(png);
    fs.writeFileSync(path.join(dir, `${base}.png`), data);
    // figures are saved at 144 dpi: half their pixels is their size on screen
    const w = data.readUInt32BE(16) / 2;
    const h = data.readUInt32BE(20) / 2;
    const scale = Math.min(1, 800 / w);
    return { title, png: `${base}.png`, width: Math.round(w * scale), height: Math.round(h * scale) };
  }
  let rows: Record<string, unknown>[] | undefined;
  let columns: string[] | undefined;
  let note: string | undefined;
  if (c.input) {
    const file = src.tables.get(c.input);
    if (!file) throw new ReportError(`${field}.input`, `input "${c.input}" gave no table in this run`, `add "${c.input}" to inputs:`);
    const max = c.max_rows ?? DEFAULT_CHART_ROWS;
    const page = await readFirstRows(src.duck, file, max);
    rows = page.rows;
    columns = page.columns.map((x) => x.name);
    if (page.total > page.rows.length) {
      note = `Shows the first ${page.rows.length.toLocaleString('en-US')} of ${page.total.toLocaleString('en-US')} rows of ${c.input}; aggregate in a SQL node to chart them all.`;
    }
  }
  try {
    const r = await renderVegaLite(c.vega_lite ?? {}, rows, columns);
    fs.writeFileSync(path.join(dir, `${base}.svg`), r.svg);
    fs.writeFileSync(path.join(dir, `${base}.png`), r.png);
    return { title, png: `${base}.png`, svg: `${base}.svg`, width: r.width, height: r.height, note };
  } catch (e) {
    if (e instanceof ChartError) throw new ReportError(`${field}.vega_lite`, e.message, 'check the spec against https://vega.github.io/vega-lite/docs/ (fields are column names of the input)');
    throw e;
  }
}

