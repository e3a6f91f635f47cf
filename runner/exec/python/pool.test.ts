// The warm Python pool against a real interpreter with real pandas and pyarrow.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPython } from '../../../test/helpers/python.ts';
import { checkPythonEnvironment } from './environment.ts';
import {
  PythonCancelledError, PythonEnvironmentError, PythonError, PythonPool, PythonTimeoutError, type PythonCall,
} from './pool.ts';

const python = testPython();
let dir: string;
let duck: DuckDBInstance;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aqueduct-pool-'));
  duck = await DuckDBInstance.create(':memory:');
});
afterAll(() => {
  duck.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** A call of `code` (lines joined) with defaults; each gets its own output file. */
function node(code: string[], more: Partial<PythonCall> = {}): PythonCall {
  const id = `node${++n}`;
  return { nodeId: id, code: code.join('\n'), file: `nodes/${id}.py`, inputs: {}, params: {}, outputPath: path.join(dir, `${id}.parquet`), ...more };
}

async function sql(query: string): Promise<Record<string, unknown>[]> {
  const c = await duck.connect();
  try {
    const rows = (await c.runAndReadAll(query)).getRowObjectsJS();
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  } finally {
    c.closeSync();
  }
}

const isAlive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
/** Whether the process is gone once the kill has been reaped (a killed child lingers until then). */
async function isGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !isAlive(pid);
}

describe('PythonPool', { timeout: 60_000 }, () => {
  let pool: PythonPool;
  beforeAll(async () => { pool = new PythonPool({ python, size: 2 }); await pool.warm(); });
  afterAll(() => pool.close());

  it('passes upstream tables as DataFrames and writes the returned DataFrame as Parquet', async () => {
    const orders = path.join(dir, 'orders.parquet');
    await sql(`COPY (SELECT * FROM (VALUES (1, 'a', 10.0::DOUBLE), (2, 'b', 5.5), (3, 'a', 2.5)) t(id, customer, amount)) TO '${orders}' (FORMAT parquet)`);
    const call = node([
      'def run(orders):',
      '    return orders.groupby("customer", as_index=False)["amount"].sum().sort_values("customer")',
    ], { inputs: { orders } });
    const result = await pool.call(call);
    expect(result).toEqual({ kind: 'table', rows: 2, columns: [{ name: 'customer', type: expect.stringMatching(/string/) }, { name: 'amount', type: 'double' }] });
    expect(await sql(`SELECT * FROM read_parquet('${call.outputPath}') ORDER BY customer`)).toEqual([
      { customer: 'a', amount: 12.5 },
      { customer: 'b', amount: 5.5 },
    ]);
  });

  it('keeps a named index as columns and drops a positional one', async () => {
    const named = node(['import pandas as pd', 'def run():', '    return pd.DataFrame({"v": [1, 2]}, index=pd.Index(["x", "y"], name="k"))']);
    expect(await pool.call(named)).toMatchObject({ columns: [{ name: 'k' }, { name: 'v' }] });
    const filtered = node(['import pandas as pd', 'def run():', '    df = pd.DataFrame({"v": [1, 2, 3]})', '    return df[df.v > 1]']);
    expect(await pool.call(filtered)).toMatchObject({ rows: 2, columns: [{ name: 'v', type: 'int64' }] });
    const series = node(['import pandas as pd', 'def run():', '    return pd.Series([1.5, 2.5])']);
    expect(await pool.call(series)).toEqual({ kind: 'table', rows: 2, columns: [{ name: 'value', type: 'double' }] });
  });

  it('passes only the parameters run() names, and all of them to **kwargs', async () => {
    const params = { threshold: 3, label: 'big', unused: true };
    const named = node(['def run(threshold, label="?"):', '    return f"{label}>{threshold}"'], { params });
    expect(await pool.call(named)).toEqual({ kind: 'scalar', value: 'big>3' });
    const kwargs = node(['def run(**kw):', '    return ",".join(sorted(kw))'], { params });
    expect(await pool.call(kwargs)).toEqual({ kind: 'scalar', value: 'label,threshold,unused' });
  });

  it('returns numbers, booleans, strings and None as scalars, NaN and infinities as null naming which', async () => {
    const cases: [string, unknown, string?][] = [
      ['42', 42], ['0.25', 0.25], ['True', true], ['"ok"', 'ok'], ['None', null],
      ['np.int64(7)', 7], ['np.bool_(False)', false], ['float("nan")', null, 'NaN'], ['np.float64("-inf")', null, '-Infinity'],
    ];
    for (const [expr, value, nonFinite] of cases) {
      const expected = nonFinite ? { kind: 'scalar', value, nonFinite } : { kind: 'scalar', value };
      expect(await pool.call(node(['import numpy as np', `def run():`, `    return ${expr}`]))).toEqual(expected);
    }
  });

  it("forwards print() output line by line without confusing the protocol", async () => {
    const logs: string[] = [];
    const result = await pool.call(node([
      'import sys',
      'def run():',
      '    print("starting")',
      '    print(\'{"id": 1, "ok": true, "result": {"kind": "scalar", "value": 666}}\')',
      '    print("careful", file=sys.stderr)',
      '    sys.stdout.write("no newline at the end")',
      '    return 1',
    ], { onLog: (stream, line) => logs.push(`${stream}: ${line}`) }));
    expect(result).toEqual({ kind: 'scalar', value: 1 });
    expect(logs.filter((l) => l.startsWith('stdout'))).toEqual([
      'stdout: starting',
      'stdout: {"id": 1, "ok": true, "result": {"kind": "scalar", "value": 666}}',
      'stdout: no newline at the end',
    ]);
    expect(logs).toContain('stderr: careful');
  });

  it('reports an exception with its type, message and a traceback at the node file and line', async () => {
    const call = node(['def helper(d):', '    return d["missing"]', '', 'def run():', '    return helper({})']);
    const err = await pool.call(call).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PythonError);
    const e = err as PythonError;
    expect(e.message).toBe("KeyError: 'missing'");
    expect(e.pythonType).toBe('KeyError');
    expect(e.traceback).toContain(`File "${call.file}", line 5, in run`);
    expect(e.traceback).toContain(`File "${call.file}", line 2, in helper`);
    expect(e.traceback).toContain('return d["missing"]');
    expect(e.traceback).not.toContain('aqueduct_worker');
  });

  it('explains a missing run(), a syntax error and a wrong return type', async () => {
    const missing = node(['def main():', '    return 1']);
    await expect(pool.call(missing)).rejects.toThrow(`${missing.file} does not define a run() function; define def run(...)`);
    const syntax = node(['def run(:', '    return 1']);
    await expect(pool.call(syntax)).rejects.toMatchObject({
      pythonType: 'SyntaxError',
      message: expect.stringContaining(`(${syntax.file}, line 1)`),
    });
    const list = node(['def run():', '    return [1, 2]']);
    await expect(pool.call(list)).rejects.toThrow(`run() in ${list.file} returned a list; return a pandas DataFrame, a single number/bool/string, or a figure for a report`);
  });

  it('runs every call in a fresh module', async () => {
    await pool.call(node(['counter = 1', 'def run():', '    global counter', '    counter += 1', '    return counter']));
    const second = node(['def run():', '    return globals().get("counter", "fresh")']);
    expect(await pool.call(second)).toEqual({ kind: 'scalar', value: 'fresh' });
  });

  it('never runs more than `size` calls at once and queues the rest in order', async () => {
    const call = () => pool.call(node([
      'import os, time',
      'def run():',
      '    start = time.time()',
      '    time.sleep(0.3)',
      '    return f"{os.getpid()} {start} {time.time()}"',
    ]));
    const runs = (await Promise.all([call(), call(), call(), call()])).map((r) => {
      const [pid, start, end] = String(r.kind === 'scalar' && r.value).split(' ').map(Number) as [number, number, number];
      return { pid, start, end };
    });
    // how many calls were running at the moment each call started
    const runningAtStart = runs.map((a) => runs.filter((b) => b.start <= a.start && a.start < b.end).length);
    expect(Math.max(...runningAtStart)).toBeLessThanOrEqual(2);
    expect(new Set(runs.map((r) => r.pid)).size).toBe(2); // both warm workers were used
    expect(runs[0]!.start).toBeLessThan(runs[3]!.start); // FIFO: the first call did not wait for the last
  });
});

describe('PythonPool worker lifecycle', { timeout: 60_000 }, () => {
  const pidOf = async (pool: PythonPool) => {
    const r = await pool.call(node(['import os', 'def run():', '    return os.getpid()']));
    return r.kind === 'scalar' ? Number(r.value) : NaN;
  };

  it('reuses a warm worker across calls', async () => {
    const pool = new PythonPool({ python, size: 1 });
    try {
      const first = await pidOf(pool);
      expect(await pidOf(pool)).toBe(first);
      expect(pool.stats).toEqual({ started: 1, busy: 0, idle: 1 });
    } finally {
      await pool.close();
    }
  });

  it('kills a call that runs too long and serves the next call from a new worker', async () => {
    const pool = new PythonPool({ python, size: 1 });
    try {
      const first = await pidOf(pool);
      const slow = node(['import time', 'def run():', '    time.sleep(30)'], { timeoutMs: 500 });
      await expect(pool.call(slow)).rejects.toThrow(PythonTimeoutError);
      await expect(pool.call({ ...slow, timeoutMs: 500 })).rejects.toThrow(`Python node "${slow.nodeId}" timed out after 0.5 seconds`);
      expect(await isGone(first)).toBe(true);
      expect(await pidOf(pool)).not.toBe(first);
      expect(pool.stats.started).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it('cancels a running call through its AbortSignal, and a queued one without starting it', async () => {
    const pool = new PythonPool({ python, size: 1 });
    try {
      const first = await pidOf(pool);
      const ac = new AbortController();
      const calls = Promise.allSettled([
        pool.call(node(['import time', 'def run():', '    time.sleep(30)'], { signal: ac.signal })),
        pool.call(node(['def run():', '    return 1'], { signal: ac.signal })), // queued behind the first
      ]);
      setTimeout(() => ac.abort(), 200);
      const [running, queued] = await calls;
      expect(running).toMatchObject({ status: 'rejected', reason: expect.any(PythonCancelledError) });
      expect(queued).toMatchObject({ status: 'rejected', reason: expect.any(PythonCancelledError) });
      expect(await isGone(first)).toBe(true);
      expect(await pidOf(pool)).not.toBe(first);
    } finally {
      await pool.close();
    }
  });

  it('reports a worker that dies mid-call and stays usable', async () => {
    const pool = new PythonPool({ python, size: 1 });
    try {
      const crash = node(['import os', 'def run():', '    print("about to exit")', '    os._exit(3)']);
      const logs: string[] = [];
      await expect(pool.call({ ...crash, onLog: (_s, l) => logs.push(l) }))
        .rejects.toThrow(`The Python worker exited with code 3 while running node "${crash.nodeId}"`);
      expect(logs).toEqual(['about to exit']);
      expect(await pool.call(node(['def run():', '    return "still here"']))).toEqual({ kind: 'scalar', value: 'still here' });
    } finally {
      await pool.close();
    }
  });

  it('leaves no worker processes behind after close()', async () => {
    const pool = new PythonPool({ python, size: 2 });
    await pool.warm();
    const pids = await Promise.all([pidOf(pool), pidOf(pool)]);
    await pool.close();
    await pool.close(); // idempotent
    expect(pids.map(isAlive)).toEqual([false, false]);
    await expect(pool.call(node(['def run():', '    return 1']))).rejects.toThrow('closed');
  });
});

describe('Python environment check', { timeout: 60_000 }, () => {
  it('reports the versions of a working interpreter', async () => {
    expect(await checkPythonEnvironment(python)).toMatchObject({ ok: true, version: expect.stringMatching(/^3\.\d+\.\d+$/) });
  });

  it('says clearly when the interpreter does not exist', async () => {
    const missing = path.join(dir, 'no-such-python');
    const message = `Python interpreter ${missing} does not exist. Install Python 3.9+ or set the interpreter in Settings (or AQUEDUCT_PYTHON).`;
    expect(await checkPythonEnvironment(missing)).toEqual({ ok: false, message });
    expect(await checkPythonEnvironment('no-such-python-3')).toEqual({
      ok: false,
      message: 'Python interpreter "no-such-python-3" was not found on PATH. Install Python 3.9+ or set the interpreter in Settings (or AQUEDUCT_PYTHON).',
    });
    const pool = new PythonPool({ python: missing, size: 1 });
    for (const attempt of [pool.warm(), pool.call(node(['def run():', '    return 1']))]) {
      const err = await attempt.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PythonEnvironmentError);
      expect((err as Error).message).toBe(message);
    }
    await pool.close();
  });

  it.skipIf(process.platform === 'win32')('says how to install pandas and pyarrow when they are missing', async () => {
    // the same interpreter started with -S (no site-packages): a real Python that lacks both
    const isolated = path.join(dir, 'python-isolated.sh');
    fs.writeFileSync(isolated, `#!/bin/sh\nexec "${python}" -S "$@"\n`, { mode: 0o755 });
    const result = await checkPythonEnvironment(isolated);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^Python at .+ lacks pandas and pyarrow\. Install them with: .+ -m pip install pandas pyarrow$/);
  });
});
