// Conformance: the local runner and the portable runtime (the bundle `aqueduct export`
// writes) give the same outputs on the same workflows: statuses, errors, rows, column
// types, metric values, check results, published files and every table, value for value.
// Both sides use the runtime venv's Python, so only the two executors differ.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../runner/engine.ts';
import type { RunDetail } from '../../runner/api/types.ts';
import { exportWorkflow } from '../../runner/engines/export.ts';
import { readLock } from '../../runner/envs/requirements-file.ts';
import { syncRunRecords } from '../../runner/engines/sync.ts';
import { EXAMPLE_CHURN, copyWorkflow, tempHome } from '../helpers/home.ts';
import { enginePython, logEssence, runBundle, runEssence } from '../helpers/engines-env.ts';
import { makeWorkflow, numbersCsv, openTestEngine } from '../helpers/workflows.ts';
import { BAD_RESULTS, FAILURES, MONITORING, WARNINGS_AND_PARAMS, type Fixture } from './engines-fixtures.ts';

let duck: DuckDBInstance;
async function rows(sql: string): Promise<unknown[]> {
  const c = await duck.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowsJson();
  } finally {
    c.closeSync();
  }
}

/** Same columns with the same types, and the same rows in the same order. */
async function expectSameTable(a: string, b: string, what: string): Promise<void> {
  const describe = (p: string) => rows(`DESCRIBE SELECT * FROM read_parquet('${p}')`);
  expect(await describe(b), `${what}: column types`).toEqual(await describe(a));
  expect(await rows(`SELECT * FROM read_parquet('${b}')`), `${what}: rows`).toEqual(await rows(`SELECT * FROM read_parquet('${a}')`));
}

interface Pair {
  local: RunDetail;
  remote: RunDetail;
  folder: string;
  bundle: string;
}

describe('local runner and portable runtime agree', () => {
  let engine: Engine;
  let python: string;
  beforeAll(async () => {
    python = enginePython('runtime');
    engine = await openTestEngine('conformance', { python });
    duck = await DuckDBInstance.create(':memory:');
  });
  afterAll(async () => {
    duck?.closeSync();
    await engine?.close();
  });

  /**
   * `bundlePython`: the interpreter the bundle runs on, given the bundle (default: the runtime venv);
   * `withHistory`: the bundle is exported from the app's history first, so both runs compare with the same earlier runs
   */
  async function runBoth(
    folder: string,
    params: Record<string, string | number> = {},
    o: { bundlePython?: (bundle: string) => Promise<string>; withHistory?: boolean } = {},
  ): Promise<Pair> {
    const { bundlePython, withHistory = false } = o;
    const out = path.join(tempHome('bundle'), 'bundle');
    const exportIt = () => exportWorkflow(folder, { engine: 'python', out, home: withHistory ? engine.paths.home : undefined });
    const early = withHistory ? await exportIt() : undefined;
    const local = await engine.run(folder, { params, trigger: 'test' });
    const exported = early ?? (await exportIt());
    const results = path.join(tempHome('results'), 'results');
    const r = runBundle(bundlePython ? await bundlePython(exported.bundleDir) : python, exported.bundleDir, results, params);
    expect([0, 1], `runtime exit: ${r.stderr}`).toContain(r.status);
    const synced = syncRunRecords(engine.store, engine.paths, results);
    expect(synced.invalid).toEqual([]);
    expect(synced.imported).toHaveLength(1);
    const remote = engine.store.getRun(synced.imported[0]!.runId)!;
    expect(remote.engine).toBe('python');
    expect(runEssence(remote, exported.bundleDir)).toEqual(runEssence(local, folder));
    expect(logEssence(engine.store.getLogs(remote.id), exported.bundleDir)).toEqual(logEssence(engine.store.getLogs(local.id), folder));
    for (const n of local.nodes.filter((x) => x.artifactPath)) {
      const other = remote.nodes.find((x) => x.nodeId === n.nodeId)!;
      await expectSameTable(n.artifactPath!, other.artifactPath!, `table ${n.nodeId}`);
    }
    return { local, remote, folder, bundle: exported.bundleDir };
  }

  const fixture = (f: Fixture) => makeWorkflow(f.definition, f.files, f.label);

  it('the churn example, on a venv built from exactly the bundle\'s requirements.txt: every table, metric, check and published file', async () => {
    const folder = copyWorkflow(EXAMPLE_CHURN, 'conf-churn');
    let installed = '';
    const { local, remote, bundle } = await runBoth(folder, {}, { bundlePython: async (b) => {
      // the bundle's requirements.txt is the example's lock plus the runtime's pins, hashes and all
      const text = fs.readFileSync(path.join(b, 'requirements.txt'), 'utf8');
      expect(text).toMatch(/^duckdb==1\.5\.6 \\\n {4}--hash=sha256:/m);
      expect(text).toMatch(/^scikit-learn==\d+\.\d+\.\d+ \\$/m);
      expect(text).not.toMatch(/^psycopg/m);
      installed = await engine.envs.buildFromLock(text);
      return installed;
    } });
    expect(installed).not.toBe(python);
    expect(local.lockHash).toBe(readLock(folder)!.hash);
    expect(local.status).toBe('succeeded');
    expect(remote.metrics.find((m) => m.nodeId === 'scored_customers')?.value).toBe(2000);
    expect(fs.readFileSync(path.join(bundle, 'out/churn_predictions.csv'), 'utf8')).toBe(fs.readFileSync(path.join(folder, 'out/churn_predictions.csv'), 'utf8'));
    const table = (f: string) => rows(`ATTACH '${f}' AS w${f.length} (READ_ONLY); SELECT * FROM w${f.length}.churn_predictions`);
    expect(await table(path.join(bundle, 'out/warehouse.duckdb'))).toEqual(await table(path.join(folder, 'out/warehouse.duckdb')));
    // one history: both runs in the metric chart and the check timeline of the workflow
    const history = engine.store.metricHistory(local.workflowId, 'mean_churn_probability');
    expect(history.map((m) => m.runId)).toEqual(expect.arrayContaining([local.id, remote.id]));
    expect(engine.store.checkHistory(local.workflowId).filter((c) => c.runId === remote.id)).toHaveLength(2);
  });

  it('the churn example on the current DuckDB 2 (relations without fetchone()): the same results', async () => {
    // an environment like the bundle's but with today's DuckDB from PyPI
    const req = path.join(tempHome('duckdb2'), 'env');
    fs.mkdirSync(req, { recursive: true });
    fs.writeFileSync(path.join(req, 'requirements.txt'), 'duckdb>=2\npandas==3.1.1\npyarrow==26.0.1\nnumpy==2.4.6\nscikit-learn==1.9.1\n');
    const { python: duck2 } = await engine.envs.build('duckdb2', req);
    const version = spawnSync(duck2, ['-c', 'import duckdb; print(duckdb.__version__)'], { encoding: 'utf8' }).stdout.trim();
    expect(version).toMatch(/^[2-9]\./);
    const { remote } = await runBoth(copyWorkflow(EXAMPLE_CHURN, 'conf-churn-duckdb2'), {}, { bundlePython: async () => duck2 });
    expect(remote.status).toBe('succeeded');
    expect(remote.checks.map((c) => c.passed)).toEqual([true, true]);
  });

  it('parameters and warnings: succeeded_with_warnings, the same published files and rows', async () => {
    const { local, remote, folder, bundle } = await runBoth(fixture(WARNINGS_AND_PARAMS), WARNINGS_AND_PARAMS.params);
    expect(local.status).toBe('succeeded_with_warnings');
    expect(remote.params).toEqual({ min_amount: 6, factor: 2.5, label: 'big', day: '2024-03-01' });
    await expectSameTable(path.join(folder, 'out/groups.parquet'), path.join(bundle, 'out/groups.parquet'), 'published parquet');
    expect(fs.readFileSync(path.join(bundle, 'out/scaled.json'), 'utf8')).toBe(fs.readFileSync(path.join(folder, 'out/scaled.json'), 'utf8'));
    const sqlite = (f: string) => {
      const db = new Database(f, { readonly: true });
      try {
        return { schema: db.prepare("SELECT sql FROM sqlite_master WHERE name = 'scaled'").pluck().get(), rows: db.prepare('SELECT * FROM scaled').all() };
      } finally {
        db.close();
      }
    };
    expect(sqlite(path.join(bundle, 'out/db.sqlite'))).toEqual(sqlite(path.join(folder, 'out/db.sqlite')));
    const logs = (id: string) => engine.store.getLogs(id).filter((l) => l.stream === 'stdout').map((l) => `${l.nodeId}: ${l.line}`);
    expect(logs(remote.id)).toEqual(logs(local.id));
  });

  it('failures: the same failed, skipped and held-back nodes with the same messages', async () => {
    const { local } = await runBoth(fixture(FAILURES));
    expect(local.status).toBe('failed');
    const byId = Object.fromEntries(local.nodes.map((n) => [n.nodeId, n]));
    expect(byId.broken!.status).toBe('failed');
    expect(byId.after_broken!.status).toBe('skipped');
    expect(byId.publish_csv!.status).toBe('skipped');
    expect(byId.slow!.error?.message).toBe('timed out after 1s');
    expect(engine.store.getLogs(local.id).map((l) => l.line)).toContain("attempt 1 of 2 failed: nodes/broken.py: KeyError: 'nope'; retrying");
  });

  it('bad results: NaN, null and shapeless metrics and checks, columnless tables, a huge exception fail alike', async () => {
    const { local, remote } = await runBoth(fixture(BAD_RESULTS));
    const failed = (r: RunDetail) => r.nodes.filter((n) => n.status === 'failed').map((n) => n.nodeId).sort();
    expect(failed(local)).toEqual(['loud', 'many_rows', 'no_columns', 'not_callable', 'py_nan', 'py_none', 'sql_inf', 'sql_null', 'two_columns']);
    expect(failed(remote)).toEqual(failed(local));
    const byId = Object.fromEntries(remote.nodes.map((n) => [n.nodeId, n.error?.message]));
    expect(byId.py_nan).toBe('metric py_nan gave NaN, not a number');
    expect(byId.sql_null).toBe('metric sql_null gave no value (null), not a number');
    expect(byId.many_rows).toBe('nodes/many_rows.sql returned more than one row; a check must return one row with one column');
    expect(byId.loud).toMatch(/^nodes\/loud.py: ValueError: HEADx+\n… \[\d+ characters cut\] …\nx+TAIL$/);
    expect(remote.error).toBe(local.error);
  });

  it('monitoring: template checks, checks on metrics, bands, learned bounds and built-in parameters agree', async () => {
    const folder = fixture(MONITORING);
    // two earlier runs: the history row counts, drift, schema and learned bounds compare with
    for (const k of [0, 1]) {
      fs.writeFileSync(path.join(folder, 'data/numbers.csv'), numbersCsv(30 + k));
      expect((await engine.run(folder, { params: MONITORING.params, trigger: 'test' })).status).not.toBe('failed');
    }
    fs.writeFileSync(path.join(folder, 'data/numbers.csv'), numbersCsv(40));
    const { local, remote } = await runBoth(folder, MONITORING.params, { withHistory: true });
    expect(local.status).toBe('succeeded_with_warnings');
    const messages = (r: RunDetail) => Object.fromEntries(r.checks.map((c) => [c.nodeId, c.passed ? 'passed' : c.message]));
    expect(messages(remote)).toEqual(messages(local));
    expect(messages(local)).toMatchObject({
      ids_unique: 'passed',
      email_present: expect.stringMatching(/^5 rows of orders have a null in email: \{"id":14,/),
      grp_known: '13 rows of orders.grp hold values not in [a, b]: "c" (13 rows)',
      amount_in_ceiling: 'passed',
      amount_small: expect.stringMatching(/^27 rows of orders\.amount are above 20: 21\.0, 22\.5, /),
      email_shape: 'passed',
      fresh: 'the newest orders.at is 2024-01-03 19:04:05, more than 1 hours before the run',
      count_steady: 'orders has 40 rows, 31.1% above the mean 30.5 of its last 2 runs (allowed: 10%)',
      amount_drift: expect.stringMatching(/^mean of orders\.amount is 30\.75, [\d.]+ standard deviations above its mean 23\.625 over the last 2 runs \(allowed: 3\)$/),
      same_columns: 'passed',
      average_ok: 'passed',
      py_average_ok: 'check py_average_ok is false',
      stamps_ok: 'passed',
      py_stamps_ok: 'passed',
    });
    const metric = (r: RunDetail, id: string) => r.metrics.find((m) => m.nodeId === id)!;
    expect(metric(local, 'total')).toMatchObject({ value: 1230, upper: 2000, warnUpper: 100, passed: false });
    expect(local.nodes.find((n) => n.nodeId === 'total')!).toMatchObject({ status: 'warning', error: { message: 'metric total = 1230 is above its upper warning bound 100' } });
    expect(metric(remote, 'row_count')).toEqual({ ...metric(local, 'row_count'), runId: remote.id, ts: metric(remote, 'row_count').ts });
    expect(local.nodes.find((n) => n.nodeId === 'row_count')!.error?.message).toMatch(/^metric row_count = 40 is above its upper bound 31\.9\d* \(learned from the last 2 runs\)$/);
  });

  it('template checks on a missing column or one of the wrong type fail alike', async () => {
    const folder = makeWorkflow({
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'typo', kind: 'check', inputs: ['numbers'], template: { type: 'not_null', columns: ['amout'] } },
        { id: 'text_range', kind: 'check', inputs: ['numbers'], template: { type: 'range', column: 'grp', min: 0 } },
        { id: 'stale_number', kind: 'check', inputs: ['numbers'], template: { type: 'freshness', column: 'amount', max_age_hours: 1 } },
      ],
    }, { 'data/numbers.csv': numbersCsv(4) }, 'template-errors');
    const { remote } = await runBoth(folder);
    const errors = Object.fromEntries(remote.nodes.filter((n) => n.status === 'failed').map((n) => [n.nodeId, n.error]));
    expect(errors).toEqual({
      typo: { message: 'template.columns[0] of check typo: column "amout" is not in its input numbers', fix: "use one of numbers's columns: id, grp, amount" },
      text_range: { message: 'template.column of check text_range: column "grp" is VARCHAR; a range check needs a column of numbers', fix: 'pick a numeric column, or cast it in an upstream SQL node' },
      stale_number: { message: 'template.column of check stale_number: column "amount" is DOUBLE; a freshness check needs a column of a date or time', fix: 'pick a DATE or TIMESTAMP column, or cast it in an upstream SQL node' },
    });
  });

  it('sources in every format, Excel included, and a rerun of sync changes nothing', async () => {
    const folder = makeWorkflow({
      nodes: [
        { id: 'sheet', kind: 'source', file: 'data/book.xlsx', sheet: 'People' },
        { id: 'events', kind: 'source', file: 'data/events.json' },
        { id: 'joined', kind: 'sql', inputs: ['sheet', 'events'] },
      ],
    }, {
      'data/events.json': JSON.stringify([{ name: 'ada', at: '2024-05-01T10:00:00', n: 3 }, { name: 'bob', at: '2024-05-02T11:30:00', n: 5 }]),
      'nodes/joined.sql': 'SELECT s.*, e.at, e.n FROM sheet s JOIN events e USING (name) ORDER BY name',
    }, 'formats');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('People');
    ws.addRow(['name', 'born', 'score']);
    ws.addRow(['ada', new Date(Date.UTC(1815, 11, 10)), 9.5]);
    ws.addRow(['bob', new Date(Date.UTC(1990, 0, 2)), 7]);
    await wb.xlsx.writeFile(path.join(folder, 'data/book.xlsx'));
    const { local, bundle } = await runBoth(folder);
    expect(local.status).toBe('succeeded');
    expect(fs.existsSync(path.join(bundle, 'data/book.xlsx.csv'))).toBe(true);
    const again = syncRunRecords(engine.store, engine.paths, path.dirname(engine.store.getRun(local.id)!.nodes[0]!.artifactPath!));
    expect(again.imported).toEqual([]);
  });

  it('reads sources with the same options the same way: null markers, delimiter, skipped lines, column types, an Excel sheet', async () => {
    const folder = makeWorkflow({
      nodes: [
        { id: 'houses', kind: 'source', file: 'data/houses.csv' },
        { id: 'listings', kind: 'source', file: 'data/listings.csv', delimiter: ';', skip_rows: 1, null_values: ['-'], column_types: { zip: 'string', price: 'number' } },
        { id: 'sheet', kind: 'source', file: 'data/book.xlsx', sheet: 'Prices', skip_rows: 1, null_values: ['n.a.'], column_types: { price: 'number' } },
        { id: 'bad_type', kind: 'source', file: 'data/listings.csv', delimiter: ';', skip_rows: 1, column_types: { city: 'integer' } },
        { id: 'summary', kind: 'sql', inputs: ['houses', 'listings', 'sheet'] },
      ],
    }, {
      'data/houses.csv': fs.readFileSync(path.resolve('test/fixtures/house-prices/train.csv'), 'utf8'),
      'data/listings.csv': 'exported 2026-01-02\nzip;city;price\n01234;Koeln;-\n10115;Berlin;350000\n',
      'nodes/summary.sql': 'SELECT (SELECT avg(LotFrontage) FROM houses) AS lot, (SELECT count(*) FROM listings WHERE price IS NULL) AS unpriced, (SELECT sum(price) FROM sheet) AS sheet_total',
    }, 'read-options');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Prices');
    ws.addRow(['Price list']);
    ws.addRow(['item', 'price']);
    ws.addRow(['tea', 3.5]);
    ws.addRow(['cake', 'n.a.']);
    await wb.xlsx.writeFile(path.join(folder, 'data/book.xlsx'));
    const { local } = await runBoth(folder);
    expect(local.status).toBe('failed');
    const byId = Object.fromEntries(local.nodes.map((n) => [n.nodeId, n]));
    expect(byId.houses!.columns!.find((c) => c.name === 'LotFrontage')!.type).toBe('BIGINT');
    expect(byId.listings!.columns!.map((c) => c.type)).toEqual(['VARCHAR', 'VARCHAR', 'DOUBLE']);
    expect(byId.summary!.status).toBe('succeeded');
    expect(byId.bad_type!.error!.fix).toContain('"Column types" field');
  });
});
