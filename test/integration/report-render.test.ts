// Rendering reports on real DuckDB and real Python: a table of 100,000 rows is shown by
// its first rows only (and counted from the Parquet's metadata), a chart of it says it
// shows the first 5,000 rows; figures come from python nodes (a matplotlib figure, PNG
// bytes) into the HTML and the PDF; and mistakes read as one sentence naming the part of
// the report at fault.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../runner/engine.ts';
import { readManifest, reportFiles } from '../../runner/reports/report-files.ts';
import { runFolder } from '../../runner/store/paths.ts';
import { makeWorkflow, openTestEngine } from '../helpers/workflows.ts';
import { scoresCsv } from './report-fixtures.ts';

let engine: Engine;
beforeAll(async () => {
  engine = await openTestEngine('report-render');
});
afterAll(() => engine?.close());

const filesOf = (runId: string, nodeId: string) => reportFiles(runFolder(engine.paths, runId), nodeId);

/** A PNG of w×h pixels in one colour, written with the standard library only. */
const PNG_PY = `import struct, zlib

def png(w, h, rgb):
    raw = b"".join(b"\\x00" + bytes(rgb) * w for _ in range(h))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    return b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")

def run(scores):
    print(f"drawing {len(scores)} scores")
    return png(400, 200, (200, 30, 30))
`;

const MATPLOTLIB_PY = `import matplotlib.pyplot as plt

def run(scores):
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(scores["score"], bins=10, color="#2ca02c")
    ax.set_title("Score histogram")
    return fig
`;

describe('rendering a report', () => {
  it('shows the first rows of a 100,000-row table and charts the first 5,000, counting the rest', async () => {
    const folder = makeWorkflow(
      {
        nodes: [
          { id: 'scores', kind: 'source', file: 'data/scores.csv' },
          {
            id: 'big',
            kind: 'report',
            inputs: ['scores'],
            title: 'Every score',
            tables: [{ input: 'scores', rows: 50, columns: ['customer_id', 'score'], format: { score: 'number:2' } }],
            charts: [{ title: 'Scores', input: 'scores', vega_lite: { mark: 'point', encoding: { x: { field: 'customer_id', type: 'quantitative' }, y: { field: 'score', type: 'quantitative' } } } }],
          },
        ],
      },
      { 'data/scores.csv': scoresCsv(100_000) },
      'big-report',
    );
    const run = await engine.run(folder, { trigger: 'test' });
    expect(run.status, run.error).toBe('succeeded');
    const files = filesOf(run.id, 'big');
    const model = readManifest(files);
    expect(model.tables[0]).toMatchObject({ columns: ['customer_id', 'score'], total: 100_000, numeric: [true, true] });
    expect(model.tables[0]!.rows).toHaveLength(50);
    expect(model.tables[0]!.rows[0]).toEqual(['1', '0.37']);
    expect(model.charts[0]!.note).toBe('Shows the first 5,000 of 100,000 rows of scores; aggregate in a SQL node to chart them all.');
    const html = fs.readFileSync(files.html, 'utf8');
    expect(html.match(/<tr>/g)).toHaveLength(51);
    expect(html).toContain('first 50 of 100,000 rows');
    const text = spawnSync('pdftotext', [files.pdf, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('first 50 of 100,000 rows');
    expect(text).toContain('Shows the first 5,000 of 100,000 rows');
  });

  it('shows figures python nodes return: PNG bytes, and a matplotlib figure', async () => {
    const folder = makeWorkflow(
      {
        nodes: [
          { id: 'scores', kind: 'source', file: 'data/scores.csv' },
          { id: 'red_box', kind: 'python', inputs: ['scores'] },
          { id: 'histogram', kind: 'python', inputs: ['scores'] },
          { id: 'figures', kind: 'report', inputs: ['red_box', 'histogram'], title: 'Figures', charts: [{ title: 'A red box', figure: 'red_box' }, { title: 'Histogram', figure: 'histogram' }] },
        ],
      },
      { 'data/scores.csv': scoresCsv(200), 'nodes/red_box.py': PNG_PY, 'nodes/histogram.py': MATPLOTLIB_PY },
      'figures',
    );
    const run = await engine.run(folder, { trigger: 'test' });
    expect(run.status, JSON.stringify(run.nodes.map((n) => n.error).filter(Boolean))).toBe('succeeded');
    expect(engine.store.getLogs(run.id, 'red_box').map((l) => l.line)).toEqual(['drawing 200 scores', 'figure saved (400×200 PNG) for a report']);
    const files = filesOf(run.id, 'figures');
    const model = readManifest(files);
    expect(model.charts.map((c) => [c.title, c.width, c.height, c.svg])).toEqual([
      ['A red box', 200, 100, undefined],
      ['Histogram', expect.any(Number), expect.any(Number), undefined],
    ]);
    const html = fs.readFileSync(files.html, 'utf8');
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(2);
    // both images in the PDF, as a PDF reader lists them
    const images = spawnSync('pdfimages', ['-list', files.pdf], { encoding: 'utf8' }).stdout;
    expect(images.split('\n').filter((l) => /^\s+1\s+\d+\s+image/.test(l))).toHaveLength(2);
    // a figure is no table: a SQL node reading it says so
    const misuse = makeWorkflow(
      { nodes: [{ id: 'scores', kind: 'source', file: 'data/scores.csv' }, { id: 'red_box', kind: 'python', inputs: ['scores'] }, { id: 'after', kind: 'sql', inputs: ['red_box'] }] },
      { 'data/scores.csv': scoresCsv(10), 'nodes/red_box.py': PNG_PY, 'nodes/after.sql': 'SELECT * FROM red_box\n' },
      'figure-misuse',
    );
    const bad = await engine.run(misuse, { trigger: 'test' });
    expect(bad.nodes.find((n) => n.nodeId === 'after')?.error).toEqual({
      message: 'input "red_box" returned a figure, not a table',
      fix: 'show the figure in a report node (charts: [{ figure: red_box }]), or return a DataFrame from it',
    });
  });

  it('names the part of the report at fault: a column that is not there, a broken Vega-Lite spec', async () => {
    const base = (report: Record<string, unknown>) =>
      makeWorkflow({ nodes: [{ id: 'scores', kind: 'source', file: 'data/scores.csv' }, { id: 'r', kind: 'report', inputs: ['scores'], title: 'R', ...report }] }, { 'data/scores.csv': scoresCsv(10) }, 'report-mistakes');
    const col = await engine.run(base({ tables: [{ input: 'scores', columns: ['customer_id', 'scor'] }] }), { trigger: 'test' });
    expect(col.nodes.find((n) => n.nodeId === 'r')?.error).toEqual({
      message: 'report r, tables[0].columns: scores has no column "scor" (it has customer_id, band, score)',
      fix: 'fix the column names under columns:',
    });
    const spec = await engine.run(base({ charts: [{ input: 'scores', vega_lite: { mark: 'nonsense' } }] }), { trigger: 'test' });
    expect(spec.nodes.find((n) => n.nodeId === 'r')?.error?.message).toBe(
      'report r, charts[0].vega_lite: mark "nonsense" is not a Vega-Lite mark (use one of arc, area, bar, image, line, point, rect, rule, text, tick, trail)',
    );
    const field = await engine.run(base({ charts: [{ input: 'scores', vega_lite: { mark: 'bar', encoding: { x: { field: 'band', type: 'nominal' }, y: { field: 'scor', type: 'quantitative' } } } }] }), { trigger: 'test' });
    expect(field.nodes.find((n) => n.nodeId === 'r')?.error?.message).toBe(
      'report r, charts[0].vega_lite: encoding.y.field "scor" is not a column of the chart\'s input (it has customer_id, band, score)',
    );
    // nothing half-written is left in the run's folder
    expect(fs.readdirSync(runFolder(engine.paths, spec.id)).filter((f) => f.includes('.report'))).toEqual([]);
    expect(path.basename(filesOf(spec.id, 'r').dir)).toBe('r.report');
  });
});
