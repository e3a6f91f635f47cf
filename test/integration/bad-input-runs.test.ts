// Runs of workflows that are valid on paper but broken in practice: each failure is one
// sentence naming the node's file or field and the fix, never a library's internals or a
// JavaScript stack. Real DuckDB, real Python with pandas, real files.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeRunRecord, RunDetail } from '../../runner/api/types.ts';
import { getDestinationWriter } from '../../runner/connectors/registry.ts';
import type { Engine } from '../../runner/engine.ts';
import { tempHome } from '../helpers/home.ts';
import { makeWorkflow, numbersCsv, openTestEngine } from '../helpers/workflows.ts';

const node = (run: RunDetail, id: string) => run.nodes.find((n) => n.nodeId === id)!;
const STACK = /\n\s+at .+\(?.*:\d+:\d+\)?/;

/** What a user reads of a failed node: no stack, no library, no "undefined". */
function expectPlain(n: NodeRunRecord): void {
  const text = [n.error?.message, n.error?.detail, n.error?.fix].join('\n');
  expect(text).not.toMatch(STACK);
  expect(text).not.toMatch(/TypeError|undefined|\[object Object\]|jszip|node_modules/);
  expect(text).not.toContain(process.cwd());
}

function withNumbers(nodes: Record<string, unknown>[], files: Record<string, string>, label: string): string {
  return makeWorkflow({ nodes: [{ id: 'numbers', kind: 'source', file: 'data/numbers.csv' }, ...nodes] }, { 'data/numbers.csv': numbersCsv(6), ...files }, label);
}

describe('broken inputs at run time', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('bad-runs');
  });
  afterAll(() => engine.close());

  it('an Excel source whose file is not a workbook says so, without the zip library', async () => {
    const folder = makeWorkflow({ nodes: [{ id: 'book', kind: 'source', file: 'data/book.xlsx' }] }, { 'data/book.xlsx': 'id,name\n1,ada\n' }, 'not-xlsx');
    const run = await engine.run(folder);
    expect(node(run, 'book')).toMatchObject({
      status: 'failed',
      error: { message: 'source file data/book.xlsx is not an Excel workbook (.xlsx)', fix: 'save it as .xlsx from Excel, or set format: csv (or parquet, json) on the node if that is what it holds' },
    });
    expectPlain(node(run, 'book'));
  });

  it('a NUL character in a publish path is refused by the writer in words', async () => {
    const parquet = path.join(tempHome('nul-path'), 't.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`COPY (SELECT 1 AS a) TO '${parquet}' (FORMAT parquet)`);
    c.closeSync();
    db.closeSync();
    for (const type of ['csv', 'parquet', 'json', 'excel', 'sqlite', 'duckdb']) {
      const publish = getDestinationWriter(type).publish({
        parquetPath: parquet, destination: { type, path: 'out/a\0b.file', table: 't', sheet: 's' }, mode: 'replace', workflowFolder: path.dirname(parquet),
      });
      await expect(publish, type).rejects.toMatchObject({ name: 'PublishError', message: `${type} destination.path contains a NUL character`, fix: 'remove the \\0 from destination.path' });
    }
  });

  it('a destination or source naming a connection that does not exist names it and says how to add it', async () => {
    const folder = withNumbers([
      { id: 'to_snowflake', kind: 'publish', inputs: ['numbers'], destination: { type: 'snowflake', connection: 'nope_sf', table: 't' } },
      { id: 'to_sheets', kind: 'publish', inputs: ['numbers'], destination: { type: 'google_sheets', connection: 'nope_gs', table: 'Sheet1' } },
    ], {}, 'no-conn');
    const run = await engine.run(folder);
    const source = await engine.run(makeWorkflow({ nodes: [{ id: 'orders', kind: 'source', connection: 'nope_pg', query: 'SELECT 1' }] }, {}, 'no-conn-source'));
    expect(node(run, 'to_snowflake').error).toEqual({
      message: 'destination.connection "nope_sf" is not a saved connection',
      fix: 'add it under Connections (or with aqueduct connections add nope_sf --type snowflake …), or fix destination.connection',
    });
    expect(node(run, 'to_sheets').error).toMatchObject({ message: 'destination.connection "nope_gs" is not a saved connection' });
    expect(node(source, 'orders').error).toEqual({
      message: 'connection "nope_pg" is not a saved connection',
      fix: 'add it under Connections (or with aqueduct connections add nope_pg --type …), or fix connection:',
    });
    for (const n of [node(run, 'to_snowflake'), node(run, 'to_sheets'), node(source, 'orders')]) expectPlain(n);
  });

  it('a Python run that is not a function, or whose arguments match no input, is explained without a TypeError', async () => {
    const folder = withNumbers([
      { id: 'not_callable', kind: 'python', inputs: ['numbers'] },
      { id: 'wrong_input', kind: 'python', inputs: ['numbers'] },
      { id: 'extra_arg', kind: 'python', inputs: ['numbers'] },
    ], {
      'nodes/not_callable.py': 'run = 5\n',
      'nodes/wrong_input.py': 'def run(orders):\n    return orders\n',
      'nodes/extra_arg.py': 'def run(numbers, model):\n    return numbers\n',
    }, 'py-shape');
    const run = await engine.run(folder);
    expect(node(run, 'not_callable').error).toEqual({ message: 'run in nodes/not_callable.py is an int, not a function; define def run(...)' });
    expect(node(run, 'wrong_input').error).toEqual({ message: "run() in nodes/wrong_input.py does not take the input 'numbers'; add a parameter named numbers to run()" });
    expect(node(run, 'extra_arg').error).toEqual({ message: "run() in nodes/extra_arg.py needs 'model', but no input or parameter has that name" });
    for (const id of ['not_callable', 'wrong_input', 'extra_arg']) expectPlain(node(run, id));
  });

  it('a DataFrame with no columns fails at the Python node; one with columns and no rows publishes everywhere', async () => {
    const files: Record<string, string> = {
      'nodes/nothing.py': 'import pandas as pd\n\ndef run(numbers):\n    return pd.DataFrame()\n',
      'nodes/none_left.py': 'import pandas as pd\n\ndef run(numbers):\n    return pd.DataFrame(columns=["id", "label"])\n',
      'nodes/filtered.py': 'def run(numbers):\n    return numbers[numbers["id"] > 100]\n',
    };
    const targets = [['csv', 'out/e.csv'], ['parquet', 'out/e.parquet'], ['json', 'out/e.json'], ['excel', 'out/e.xlsx'], ['sqlite', 'out/e.sqlite'], ['duckdb', 'out/e.duckdb']] as const;
    const folder = withNumbers([
      { id: 'nothing', kind: 'python', inputs: ['numbers'] },
      { id: 'publish_nothing', kind: 'publish', inputs: ['nothing'], destination: { type: 'csv', path: 'out/nothing.csv' } },
    ], files, 'empty-df');
    const failed = await engine.run(folder);
    expect(node(failed, 'nothing')).toMatchObject({
      status: 'failed',
      error: { message: 'run() in nodes/nothing.py returned a DataFrame with no columns; return at least one column (a DataFrame with columns and no rows is fine)' },
    });
    expect(node(failed, 'publish_nothing').status).toBe('skipped');
    expectPlain(node(failed, 'nothing'));

    const ok = withNumbers([
      { id: 'none_left', kind: 'python', inputs: ['numbers'] },
      { id: 'filtered', kind: 'python', inputs: ['numbers'] },
      ...targets.map(([type, p]) => ({ id: `to_${type}`, kind: 'publish', inputs: [type === 'csv' ? 'none_left' : 'filtered'], destination: { type, path: p, table: 't', sheet: 's' } })),
    ], files, 'empty-df-ok');
    const run = await engine.run(ok);
    expect(run.status, JSON.stringify(run.nodes.map((n) => n.error).filter(Boolean))).toBe('succeeded');
    expect(run.publications.map((p) => [p.destination, p.rows]).sort()).toEqual(targets.map(([t]) => [t, 0]).sort());
    expect(fs.readFileSync(path.join(ok, 'out/e.csv'), 'utf8')).toBe('id,label\n');
  });

  it('a metric that is NaN, infinite or missing fails with one sentence, the same from Python and SQL', async () => {
    const folder = withNumbers([
      { id: 'py_nan', kind: 'metric', inputs: ['numbers'] },
      { id: 'py_inf', kind: 'metric', inputs: ['numbers'] },
      { id: 'py_none', kind: 'metric', inputs: ['numbers'] },
      { id: 'sql_nan', kind: 'metric', inputs: ['numbers'] },
      { id: 'sql_inf', kind: 'metric', inputs: ['numbers'] },
      { id: 'sql_null', kind: 'metric', inputs: ['numbers'], severity: 'warning' },
    ], {
      'nodes/py_nan.py': 'def run(numbers):\n    return float("nan")\n',
      'nodes/py_inf.py': 'import numpy as np\n\ndef run(numbers):\n    return np.float64("inf")\n',
      'nodes/py_none.py': 'def run(numbers):\n    return None\n',
      'nodes/sql_nan.sql': "SELECT 'nan'::DOUBLE",
      'nodes/sql_inf.sql': "SELECT '-inf'::DOUBLE",
      'nodes/sql_null.sql': 'SELECT avg(amount) FROM numbers WHERE id > 100',
    }, 'metric-nan');
    const run = await engine.run(folder);
    const fix = 'return one finite number, e.g. coalesce(avg(x), 0) in SQL or a default in Python';
    expect(node(run, 'py_nan').error).toEqual({ message: 'metric py_nan gave NaN, not a number', fix });
    expect(node(run, 'sql_nan').error).toEqual({ message: 'metric sql_nan gave NaN, not a number', fix });
    expect(node(run, 'py_inf').error).toEqual({ message: 'metric py_inf gave Infinity, not a number', fix });
    expect(node(run, 'sql_inf').error).toEqual({ message: 'metric sql_inf gave -Infinity, not a number', fix });
    expect(node(run, 'py_none').error).toEqual({ message: 'metric py_none gave no value (null), not a number', fix });
    expect(node(run, 'sql_null').error).toEqual({ message: 'metric sql_null gave no value (null), not a number', fix });
    expect(run.nodes.filter((n) => n.kind === 'metric').map((n) => n.status)).toEqual(Array(6).fill('failed'));
    expect(run.metrics).toEqual([]);
  });

  it('a SQL check or metric giving several rows or columns fails, saying what shape it must have', async () => {
    const folder = withNumbers([
      { id: 'many_rows', kind: 'check', inputs: ['numbers'] },
      { id: 'two_columns', kind: 'metric', inputs: ['numbers'] },
      { id: 'both', kind: 'check', inputs: ['numbers'] },
    ], {
      'nodes/many_rows.sql': 'SELECT amount > 0 FROM numbers',
      'nodes/two_columns.sql': 'SELECT sum(amount), count(*) FROM numbers',
      'nodes/both.sql': 'SELECT amount > 0, id FROM numbers',
    }, 'shape');
    const run = await engine.run(folder);
    expect(node(run, 'many_rows').error).toEqual({ message: 'nodes/many_rows.sql returned more than one row; a check must return one row with one column', fix: 'return one row with a boolean, e.g. SELECT count(*) = 0 FROM …' });
    expect(node(run, 'two_columns').error).toEqual({ message: 'nodes/two_columns.sql returned 2 columns; a metric must return one row with one column', fix: 'return one row with a number, e.g. SELECT avg(x) FROM …' });
    expect(node(run, 'both').error).toMatchObject({ message: 'nodes/both.sql returned more than one row and 2 columns; a check must return one row with one column' });
    expect(run.checks).toEqual([]);
  });

  it('a 5 MB exception message is kept as its head and tail, and not repeated in the detail or the run error', async () => {
    const folder = withNumbers([{ id: 'loud', kind: 'python', inputs: ['numbers'] }], {
      'nodes/loud.py': 'def run(numbers):\n    raise ValueError("HEAD" + "x" * 5_000_000 + "TAIL")\n',
    }, 'huge-error');
    const run = await engine.run(folder);
    const err = node(run, 'loud').error!;
    expect(err.message.length).toBeLessThan(9000);
    expect(err.message).toMatch(/^nodes\/loud.py: ValueError: HEADx+\n… \[\d+ characters cut\] …\nx+TAIL$/);
    expect(err.detail).toContain('File "nodes/loud.py", line 2, in run');
    expect(err.detail).not.toContain('xxxx');
    expect(run.error!.length).toBeLessThan(300);
    expect(run.error).toMatch(/^node "loud" failed: nodes\/loud.py: ValueError: HEADx+…$/);
    const stored = engine.store.getRun(run.id)!;
    expect(JSON.stringify(stored).length).toBeLessThan(40_000);
  });
});
