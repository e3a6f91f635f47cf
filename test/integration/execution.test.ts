// How a run behaves when things go wrong or take time: failures, skips, checks that
// stop publishing, warnings, timeouts, retries, cancellation and parallel branches.
// Real DuckDB and real Python throughout.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../runner/api/types.ts';
import type { Engine } from '../../runner/engine.ts';
import { makeWorkflow, numbersCsv, openTestEngine } from '../helpers/workflows.ts';

const status = (run: RunDetail) => Object.fromEntries(run.nodes.map((n) => [n.nodeId, n.status]));
const node = (run: RunDetail, id: string) => run.nodes.find((n) => n.nodeId === id)!;

function pipeline(extraNodes: Record<string, unknown>[], files: Record<string, string>, label: string) {
  return makeWorkflow(
    {
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'totals', kind: 'sql', inputs: ['numbers'] },
        ...extraNodes,
        { id: 'out_csv', kind: 'publish', inputs: ['totals'], destination: { type: 'csv', path: 'out/totals.csv' } },
      ],
    },
    { 'data/numbers.csv': numbersCsv(30), 'nodes/totals.sql': 'SELECT grp, sum(amount) AS total FROM numbers GROUP BY grp ORDER BY grp', ...files },
    label,
  );
}

describe('running a workflow', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('exec');
  });
  afterAll(() => engine.close());

  it('fails a node with a SQL error, names the file, skips its downstream and publishes nothing', async () => {
    const folder = pipeline([{ id: 'broken', kind: 'sql', inputs: ['numbers'] }, { id: 'after', kind: 'sql', inputs: ['broken'] }], {
      'nodes/broken.sql': 'SELECT no_such_column FROM numbers',
      'nodes/after.sql': 'SELECT * FROM broken',
    }, 'sqlerr');
    const run = await engine.run(folder);
    expect(run.status).toBe('failed');
    expect(status(run)).toMatchObject({ numbers: 'succeeded', totals: 'succeeded', broken: 'failed', after: 'skipped', out_csv: 'skipped' });
    expect(node(run, 'broken').error!.message).toMatch(/^SQL error in nodes\/broken.sql: .*no_such_column/);
    expect(node(run, 'after').error!.message).toBe('skipped: broken failed');
    expect(node(run, 'out_csv').error!.message).toBe('not published: broken failed');
    expect(run.error).toMatch(/node "broken" failed/);
    expect(fs.existsSync(path.join(folder, 'out/totals.csv'))).toBe(false);
  });

  it('keeps the Python traceback, pointing at the node file and line', async () => {
    const folder = pipeline([{ id: 'model', kind: 'python', inputs: ['totals'] }], {
      'nodes/model.py': 'import pandas as pd\n\ndef run(totals):\n    return totals["missing_column"]\n',
    }, 'pyerr');
    const run = await engine.run(folder);
    const err = node(run, 'model').error!;
    expect(node(run, 'model').status).toBe('failed');
    expect(err.message).toMatch(/nodes\/model.py: KeyError/);
    expect(err.detail).toMatch(/nodes\/model.py", line 4, in run/);
  });

  it('stops publishing when an error check fails, and names the check', async () => {
    const folder = pipeline([{ id: 'enough_groups', kind: 'check', inputs: ['totals'], severity: 'error' }], {
      'nodes/enough_groups.sql': 'SELECT count(*) > 5 FROM totals',
    }, 'checkfail');
    const run = await engine.run(folder);
    expect(run.status).toBe('failed');
    expect(run.checks).toMatchObject([{ nodeId: 'enough_groups', passed: false, severity: 'error' }]);
    expect(status(run).out_csv).toBe('skipped');
    expect(node(run, 'out_csv').error!.message).toBe('not published: check enough_groups failed');
  });

  it('records a failed warning check, still publishes, and ends "succeeded with warnings"', async () => {
    const folder = pipeline(
      [
        { id: 'enough_groups', kind: 'check', inputs: ['totals'], severity: 'warning' },
        { id: 'total_amount', kind: 'metric', inputs: ['totals'], bounds: { lower: 0, upper: 1000 } },
      ],
      { 'nodes/enough_groups.py': 'def run(totals):\n    return len(totals) > 5\n', 'nodes/total_amount.sql': 'SELECT sum(total) FROM totals' },
      'warn',
    );
    const run = await engine.run(folder);
    expect(run.status).toBe('succeeded_with_warnings');
    expect(status(run)).toMatchObject({ enough_groups: 'warning', total_amount: 'succeeded', out_csv: 'succeeded' });
    expect(run.metrics).toMatchObject([{ nodeId: 'total_amount', value: 697.5, passed: true, upper: 1000 }]);
    expect(fs.readFileSync(path.join(folder, 'out/totals.csv'), 'utf8').trim().split('\n')).toHaveLength(4);
  });

  it('fails a metric outside its bounds', async () => {
    const folder = pipeline([{ id: 'total_amount', kind: 'metric', inputs: ['totals'], bounds: { upper: 100 } }], {
      'nodes/total_amount.sql': 'SELECT sum(total) FROM totals',
    }, 'metric');
    const run = await engine.run(folder);
    expect(node(run, 'total_amount').error!.message).toBe('metric total_amount = 697.5 is above its upper bound 100');
    expect(run.metrics[0]).toMatchObject({ value: 697.5, passed: false });
    expect(run.status).toBe('failed');
  });

  it('stops a node at its timeout and says how to raise it', async () => {
    const folder = pipeline([{ id: 'slow', kind: 'python', inputs: ['totals'], timeout: 1 }], {
      'nodes/slow.py': 'import time\n\ndef run(totals):\n    time.sleep(30)\n    return totals\n',
    }, 'timeout');
    const run = await engine.run(folder);
    expect(node(run, 'slow')).toMatchObject({ status: 'failed', error: { message: 'timed out after 1s' } });
    expect(node(run, 'slow').error!.fix).toMatch(/raise timeout/);
  });

  it('refuses a Python timeout too long for the timer before running (it used to time the node out at once)', async () => {
    const folder = pipeline([{ id: 'model', kind: 'python', inputs: ['totals'], timeout: 2_147_484 }], {
      'nodes/model.py': 'def run(totals):\n    return totals\n',
    }, 'timeout-overflow');
    await expect(engine.run(folder)).rejects.toThrow('workflow.yaml, node "model", field nodes[2].timeout: timeout can be at most 2147483 seconds (about 24 days)');
    const longest = pipeline([{ id: 'model', kind: 'python', inputs: ['totals'], timeout: 2_147_483 }], {
      'nodes/model.py': 'def run(totals):\n    return totals\n',
    }, 'timeout-longest');
    const run = await engine.run(longest);
    expect(node(run, 'model').status).toBe('succeeded');
    expect(run.status).toBe('succeeded');
  });

  it('stops SQL nodes, SQL checks, sources and publishes at their timeout, even one that passes before the query starts', async () => {
    // several seconds of DuckDB work each; the timeouts pass long before that
    const slow = 'SELECT sum(i * i) AS s FROM range(500000000::BIGINT) t(i)';
    const rows = ['i,grp,amount'];
    for (let i = 0; i < 1_500_000; i++) rows.push(`${i},${i % 7},${i * 0.5}`);
    const folder = makeWorkflow(
      {
        nodes: [
          { id: 'big', kind: 'source', file: 'data/big.csv', timeout: 0.001 },
          { id: 'slow_sql', kind: 'sql', timeout: 0.001 },
          { id: 'slow_check', kind: 'check', timeout: 0.05 },
        ],
      },
      {
        'data/big.csv': rows.join('\n') + '\n',
        'nodes/slow_sql.sql': slow,
        'nodes/slow_check.sql': `SELECT s > 0 FROM (${slow})`,
      },
      'timeout-sql',
    );
    const run = await engine.run(folder);
    for (const id of ['big', 'slow_sql', 'slow_check']) {
      const timeout = id === 'slow_check' ? 0.05 : 0.001;
      expect(node(run, id)).toMatchObject({ status: 'failed', error: { message: `timed out after ${timeout}s` } });
    }
    // publishes run only when nothing failed: a workflow of its own
    const pub = makeWorkflow(
      {
        nodes: [
          { id: 'wide', kind: 'sql' },
          { id: 'out_csv', kind: 'publish', inputs: ['wide'], timeout: 0.001, destination: { type: 'csv', path: 'out/wide.csv' } },
        ],
      },
      { 'nodes/wide.sql': "SELECT i, i * 2 AS j, 'row ' || i AS label FROM range(8000000) t(i)" },
      'timeout-publish',
    );
    const published = await engine.run(pub);
    expect(node(published, 'out_csv')).toMatchObject({ status: 'failed', error: { message: 'timed out after 0.001s; the destination was left as it was' } });
    expect(fs.existsSync(path.join(pub, 'out/wide.csv'))).toBe(false);
    expect(published.publications).toEqual([]);
  });

  it('retries a failing node and succeeds on the second attempt', async () => {
    const folder = pipeline([{ id: 'flaky', kind: 'python', inputs: ['totals'], retries: 2 }], { 'nodes/flaky.py': '' }, 'retry');
    // the marker's path is written into the code: workers already running do not see a new environment variable
    fs.writeFileSync(path.join(folder, 'nodes/flaky.py'), [
      'import os',
      'def run(totals):',
      `    marker = ${JSON.stringify(path.join(folder, 'attempted'))}`,
      '    if not os.path.exists(marker):',
      '        open(marker, "w").close()',
      '        raise RuntimeError("first attempt fails")',
      '    return totals',
    ].join('\n'));
    const run = await engine.run(folder);
    expect(node(run, 'flaky')).toMatchObject({ status: 'succeeded', attempts: 2 });
    const logs = engine.store.getLogs(run.id, 'flaky').map((l) => l.line);
    expect(logs).toContain('attempt 1 of 3 failed: nodes/flaky.py: RuntimeError: first attempt fails; retrying');
  });

  it('cancels a running run: running and waiting nodes end cancelled, nothing is published', async () => {
    const folder = pipeline([{ id: 'slow', kind: 'python', inputs: ['totals'] }, { id: 'after', kind: 'sql', inputs: ['slow'] }], {
      'nodes/slow.py': 'import time\n\ndef run(totals):\n    print("working", flush=True)\n    time.sleep(60)\n    return totals\n',
      'nodes/after.sql': 'SELECT * FROM slow',
    }, 'cancel');
    const { run, done } = await engine.startRun(folder);
    await new Promise<void>((resolve) => {
      const off = engine.events.on((e) => {
        if (e.type === 'node_log' && e.log.nodeId === 'slow' && e.log.line === 'working') {
          off();
          resolve();
        }
      });
    });
    expect(engine.cancelRun(run.id)).toBe(true);
    const finished = await done;
    expect(finished.status).toBe('cancelled');
    const detail = engine.store.getRun(run.id)!;
    expect(status(detail)).toMatchObject({ slow: 'cancelled', after: 'cancelled', out_csv: 'cancelled' });
  });

  it('runs independent branches at the same time', async () => {
    const sleepy = 'import time\n\ndef run(numbers):\n    time.sleep(1.0)\n    return numbers\n';
    const folder = makeWorkflow(
      {
        nodes: [
          { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
          { id: 'left', kind: 'python', inputs: ['numbers'] },
          { id: 'right', kind: 'python', inputs: ['numbers'] },
        ],
      },
      { 'data/numbers.csv': numbersCsv(5), 'nodes/left.py': sleepy, 'nodes/right.py': sleepy },
      'parallel',
    );
    const run = await engine.run(folder);
    expect(run.status).toBe('succeeded');
    const l = node(run, 'left');
    const r = node(run, 'right');
    // each started before the other finished: they overlapped
    expect(l.startedAt!).toBeLessThan(r.finishedAt!);
    expect(r.startedAt!).toBeLessThan(l.finishedAt!);
  });

  it('refuses a run with a badly typed parameter before starting anything', async () => {
    const folder = makeWorkflow(
      { parameters: { n: { type: 'integer', default: 1 } }, nodes: [{ id: 'q', kind: 'sql' }] },
      { 'nodes/q.sql': 'SELECT $n AS n' },
      'params',
    );
    await expect(engine.run(folder, { params: { n: 'lots' } })).rejects.toThrow(/parameter "n": "lots" is not an integer/);
    const ok = await engine.run(folder, { params: { n: '41' } });
    expect(ok.status).toBe('succeeded');
    expect((await engine.readPreview(ok.id, 'q')).rows).toEqual([{ n: 41 }]);
  });

  it('says which tables a SQL node can read when it names another', async () => {
    const folder = pipeline([{ id: 'wrong_table', kind: 'sql', inputs: ['numbers'] }], { 'nodes/wrong_table.sql': 'SELECT * FROM totals' }, 'tables');
    const run = await engine.run(folder);
    expect(node(run, 'wrong_table').error!.fix).toBe("this node can read the tables numbers; add the table's node to inputs:");
  });
});

describe('a missing Python', () => {
  it('fails the python node with one clear message saying how to fix it', async () => {
    const engine = await openTestEngine('nopython', { python: '/nonexistent/python3' });
    try {
      const folder = makeWorkflow(
        { nodes: [{ id: 'p', kind: 'python' }] },
        { 'nodes/p.py': 'import pandas as pd\ndef run():\n    return pd.DataFrame({"a": [1]})\n' },
        'nopython',
      );
      const run = await engine.run(folder);
      expect(run.status).toBe('failed');
      expect(node(run, 'p').error!.message).toMatch(/nonexistent\/python3 does not exist.*AQUEDUCT_PYTHON/);
    } finally {
      await engine.close();
    }
  });
});
