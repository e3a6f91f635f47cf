// Checks on metrics, levels and run-time values on real runs: a check reads a metric ($m in
// SQL, an argument in Python); a metric carries a warning band and an error band at once;
// bounds come from parameters or are learned from the metric's last runs; the built-in
// parameters give the run's date and time and a scheduled run's slot, in SQL and Python.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../runner/api/types.ts';
import type { Engine } from '../../runner/engine.ts';
import { loadWorkflow } from '../../runner/spec/load.ts';
import { makeWorkflow, numbersCsv, openTestEngine } from '../helpers/workflows.ts';

const nodeOf = (run: RunDetail, id: string) => run.nodes.find((n) => n.nodeId === id)!;

describe('metrics, bands and built-in parameters', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('metrics');
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('a check reads metrics: $name in SQL, an argument in Python', async () => {
    const folder = makeWorkflow({
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'total', kind: 'metric', inputs: ['numbers'] },
        { id: 'rows', kind: 'metric', inputs: ['numbers'] },
        { id: 'average_ok', kind: 'check', inputs: ['total', 'rows'] },
        { id: 'py_ok', kind: 'check', inputs: ['total', 'numbers'], severity: 'warning' },
      ],
    }, {
      'data/numbers.csv': numbersCsv(10),
      'nodes/total.sql': 'SELECT sum(amount) FROM numbers',
      'nodes/rows.sql': 'SELECT count(*) FROM numbers',
      'nodes/average_ok.sql': 'SELECT $total / $rows BETWEEN 8 AND 9',
      'nodes/py_ok.py': 'def run(numbers, total):\n    print(f"total {total} over {len(numbers)} rows")\n    return total > 1000\n',
    }, 'metric-inputs');
    const run = await engine.run(folder);
    expect(nodeOf(run, 'average_ok').status).toBe('succeeded');
    expect(nodeOf(run, 'py_ok')).toMatchObject({ status: 'warning', error: { message: 'check py_ok is false' } });
    expect(engine.store.getLogs(run.id, 'py_ok').map((l) => l.line)).toContain('total 82.5 over 10 rows');
  });

  it('a warning band and an error band at once, with bounds from parameters', async () => {
    const folder = makeWorkflow({
      parameters: { ceiling: { type: 'number', default: 100 } },
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'total', kind: 'metric', inputs: ['numbers'], bounds: { lower: 0, upper: '$ceiling' }, warn_bounds: { upper: 50 } },
      ],
    }, { 'data/numbers.csv': numbersCsv(4), 'nodes/total.sql': 'SELECT sum(amount) FROM numbers' }, 'bands');
    const inside = await engine.run(folder);
    expect(nodeOf(inside, 'total').status).toBe('succeeded');
    expect(inside.metrics[0]).toMatchObject({ value: 15, lower: 0, upper: 100, warnUpper: 50, passed: true });

    fs.writeFileSync(path.join(folder, 'data/numbers.csv'), numbersCsv(8)); // 54
    const warned = await engine.run(folder);
    expect(warned.status).toBe('succeeded_with_warnings');
    expect(nodeOf(warned, 'total').error?.message).toBe('metric total = 54 is above its upper warning bound 50');

    const failed = await engine.run(folder, { params: { ceiling: 40 } });
    expect(failed.status).toBe('failed');
    expect(nodeOf(failed, 'total').error?.message).toBe('metric total = 54 is above its upper bound 40');
    expect(failed.metrics[0]).toMatchObject({ upper: 40, warnUpper: 50, passed: false });
  });

  it('bounds learned from the last runs: mean ± k·σ, recorded with each value for the chart', async () => {
    const folder = makeWorkflow({
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'count', kind: 'metric', inputs: ['numbers'], severity: 'warning', bounds: { history: { runs: 10, k: 3, min_runs: 3 } } },
      ],
    }, { 'data/numbers.csv': numbersCsv(10), 'nodes/count.sql': 'SELECT count(*) FROM numbers' }, 'learned');
    for (const n of [10, 11, 9]) {
      fs.writeFileSync(path.join(folder, 'data/numbers.csv'), numbersCsv(n));
      const r = await engine.run(folder);
      expect(nodeOf(r, 'count').status).toBe('succeeded'); // fewer than 3 earlier values: no bound yet
      expect(r.metrics[0]!.upper).toBeUndefined();
    }
    fs.writeFileSync(path.join(folder, 'data/numbers.csv'), numbersCsv(10));
    const steady = await engine.run(folder);
    expect(steady.metrics[0]).toMatchObject({ value: 10, lower: 7, upper: 13, passed: true });
    fs.writeFileSync(path.join(folder, 'data/numbers.csv'), numbersCsv(40));
    const jump = await engine.run(folder);
    expect(nodeOf(jump, 'count').status).toBe('warning');
    expect(nodeOf(jump, 'count').error?.message).toMatch(/^metric count = 40 is above its upper bound 12\.\d+ \(learned from the last 4 runs\)$/);
    const history = engine.store.metricHistory(jump.workflowId, 'count');
    expect(history.map((m) => m.upper === undefined)).toEqual([true, true, true, false, false]);
  });

  it('today, run_time and slot_time in SQL and Python; a scheduled run gets its slot', async () => {
    const folder = makeWorkflow({
      nodes: [
        { id: 'stamp', kind: 'sql' },
        { id: 'py_stamp', kind: 'python', inputs: ['stamp'] },
      ],
      schedule: { cron: '0 6 * * *', timezone: 'Pacific/Auckland', paused: true },
    }, {
      'nodes/stamp.sql': 'SELECT $today AS today, CAST($run_time AS TIMESTAMPTZ) AS run_time, $slot_time AS slot_time',
      'nodes/py_stamp.py': 'import pandas as pd\n\ndef run(stamp, today, slot_time):\n    return pd.DataFrame({"today": [today], "slot": [slot_time], "same": [today == stamp["today"][0]]})\n',
    }, 'builtins');
    const slot = Date.UTC(2024, 0, 31, 17, 0); // 06:00 on 1 February in Auckland
    const { run, done } = await engine.startRun(folder, { trigger: 'schedule', slotTime: slot });
    await done;
    const rows = async (node: string) => (await engine.readPreview(run.id, node)).rows;
    const [sql] = await rows('stamp');
    expect(sql).toMatchObject({ today: '2024-02-01', slot_time: '2024-01-31T17:00:00.000Z' });
    expect(Math.abs(Date.parse(String(sql!.run_time)) - run.createdAt)).toBeLessThan(1000);
    expect((await rows('py_stamp'))[0]).toEqual({ today: '2024-02-01', slot: '2024-01-31T17:00:00.000Z', same: true });
    // the built-ins are not parameters of the run
    expect(engine.store.getRun(run.id)!.params).toEqual({});
  });

  it('metric inputs are values, not tables: a SQL node cannot read one', () => {
    const folder = makeWorkflow({
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'total', kind: 'metric', inputs: ['numbers'] },
        { id: 'uses_total', kind: 'sql', inputs: ['total'] },
      ],
    }, { 'data/numbers.csv': numbersCsv(3), 'nodes/total.sql': 'SELECT 1', 'nodes/uses_total.sql': 'SELECT $total AS t' }, 'metric-table');
    const r = loadWorkflow(folder);
    expect(r.ok ? [] : r.problems.map((p) => `${p.field}: ${p.message} (fix: ${p.fix})`)).toContain(
      'nodes[2].inputs[0]: input "total" is a metric node, which gives no table (fix: take inputs from source, sql or python nodes)',
    );
  });
});
