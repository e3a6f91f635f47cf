// The `aqueduct` command given bad input: a sentence and exit code 2 for a bad option
// value or an unknown command, a folder problem instead of an errno, and a huge error
// message printed once, clipped. Real processes, real exit codes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';
import { makeWorkflow, numbersCsv } from '../helpers/workflows.ts';

function aqueduct(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/aqueduct.mjs', '--home', home, ...args], {
    encoding: 'utf8',
    env: { ...process.env, AQUEDUCT_PYTHON: testPython(), NO_COLOR: '1' },
    timeout: 180_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe('aqueduct CLI with bad input', () => {
  const home = tempHome('cli-bad');
  const folder = makeWorkflow({ nodes: [{ id: 'numbers', kind: 'source', file: 'data/numbers.csv' }] }, { 'data/numbers.csv': numbersCsv(4) }, 'cli-bad');

  it('numeric options are checked once for every command: a sentence and exit 2', () => {
    const cases: [string[], string][] = [
      [['runs', '-n', 'abc'], "error: option '-n, --limit <count>' argument 'abc' is invalid. -n must be a whole number of 1 or more, e.g. -n 20"],
      [['runs', '-n', '-5'], "error: option '-n, --limit <count>' argument '-5' is invalid. -n must be a whole number of 1 or more, e.g. -n 20"],
      [['runs', '-n', '2.5'], "argument '2.5' is invalid. -n must be a whole number of 1 or more"],
      [['preview', folder, 'numbers', '-n', 'abc'], "error: option '-n, --limit <rows>' argument 'abc' is invalid. -n must be a whole number of 1 or more, e.g. -n 20"],
      [['schedule', 'next', 'hourly', '-n', '0'], "argument '0' is invalid. -n must be a whole number of 1 or more"],
      [['serve', '--port', '99999'], "argument '99999' is invalid. --port must be a whole number from 0 to 65535"],
      [['scheduler', '--grace', 'soon'], "argument 'soon' is invalid. --grace must be a number of seconds above 0, e.g. --grace 300"],
    ];
    for (const [args, message] of cases) {
      const r = aqueduct(home, ...args);
      expect(r.code, `${args.join(' ')}: ${r.all}`).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.all).not.toMatch(/datatype mismatch|Binder Error|\n\s+at /);
    }
  });

  it('an unknown command says so with exit 2, even with --help', () => {
    for (const args of [['frobnicate', '--help'], ['frobnicate'], ['schedule', 'frobnicate', '--help']]) {
      const r = aqueduct(home, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain("error: unknown command 'frobnicate'");
    }
    expect(aqueduct(home, 'runs', '--help').code).toBe(0);
    expect(aqueduct(home, '--help').code).toBe(0);
  });

  it('validate names a code: that is a folder, with exit 2 (not a bare EISDIR)', () => {
    const dir = makeWorkflow({ nodes: [{ id: 'q', kind: 'sql', code: 'nodes' }] }, {}, 'cli-eisdir');
    fs.mkdirSync(path.join(dir, 'nodes'), { recursive: true });
    const r = aqueduct(home, 'validate', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: workflow.yaml, node "q", field nodes[0].code: code nodes is a folder, not a file (fix: set code: to a .sql or .py file, e.g. nodes/q.sql)\n');
  });

  it('validate refuses a schedule the scheduler would drop, with exit 2', () => {
    const dir = makeWorkflow({ schedule: { cron: '61 * * * *', timezone: 'Mars/Olympus' }, nodes: [{ id: 'numbers', kind: 'source', file: 'data/numbers.csv' }] }, {}, 'cli-sched');
    const r = aqueduct(home, 'validate', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('field schedule.cron: "61 * * * *" is not a valid cron expression');
    expect(r.stderr).toContain('field schedule.timezone: "Mars/Olympus" is not an IANA time zone');
  });

  it('a 5 MB exception message is printed once, clipped, and the run exits 1', () => {
    const dir = makeWorkflow({ nodes: [{ id: 'numbers', kind: 'source', file: 'data/numbers.csv' }, { id: 'loud', kind: 'python', inputs: ['numbers'] }] }, {
      'data/numbers.csv': numbersCsv(4),
      // the end marker is built at run time, so the traceback's source line does not hold it
      'nodes/loud.py': 'def run(numbers):\n    raise ValueError("HEAD" + "x" * 5_000_000 + "-".join(["THE", "END"]))\n',
    }, 'cli-loud');
    const r = aqueduct(home, 'run', dir);
    expect(r.code).toBe(1);
    expect(count(r.all, 'THE-END')).toBe(1);
    expect(r.all).toMatch(/characters cut/);
    expect(r.all.length).toBeLessThan(30_000);
    const show = aqueduct(home, 'show', JSON.parse(aqueduct(home, 'runs', '--json', '-n', '1').stdout)[0].id);
    expect(count(show.all, 'THE-END')).toBe(1);
    expect(show.all.length).toBeLessThan(30_000);
  });
});
