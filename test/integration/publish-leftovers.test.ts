// Why: `kill -9` of `aqueduct run` in the middle of a file publish leaves its temp file
// (and a SQLite rollback journal) beside the user's outputs. The next run cleans up what
// that run recorded it was staging, and only that: a user's file that merely looks like
// one of ours stays. The SQLite journal is rolled back (never just deleted), so the
// table keeps its old rows. The next run's log says what was cleaned.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';
import { makeWorkflow } from '../helpers/workflows.ts';

const env = { ...process.env, AQUEDUCT_PYTHON: testPython(), NO_COLOR: '1' };
const ours = (f: string) => /^\.big\.csv\.aq-[0-9a-f]{8}\.tmp/.test(f);

function aqueduct(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/aqueduct.mjs', '--home', home, ...args], { encoding: 'utf8', env, timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const JOURNAL_MAGIC = 'd9d505f920a163d7';
/** A journal is hot once its header is written: the database file may hold changed pages. */
function journalIsHot(p: string): boolean {
  try {
    return readFileSync(p).subarray(0, 8).toString('hex') === JOURNAL_MAGIC;
  } catch {
    return false;
  }
}

/**
 * Starts `aqueduct run` and SIGKILLs it once its temp CSV and the SQLite journal both
 * exist, or (with `hot`) once the SQLite journal is hot.
 */
async function killMidPublish(home: string, folder: string, hot = false): Promise<void> {
  const out = join(folder, 'out');
  const child = spawn(process.execPath, ['bin/aqueduct.mjs', '--home', home, 'run', folder, '-p', 'n=2000000'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const killed = await new Promise<boolean>((resolve) => {
    const timer = setInterval(() => {
      const files = existsSync(out) ? readdirSync(out) : [];
      if (hot ? journalIsHot(join(out, 'big.sqlite-journal')) : files.some(ours) && files.includes('big.sqlite-journal')) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolve(true);
      }
    }, 10);
    void exited.then(() => {
      clearInterval(timer);
      resolve(false);
    });
  });
  await exited;
  expect(killed, `the run ended before it was killed:\n${output}`).toBe(true);
}

function leftoversWorkflow(label: string): string {
  return makeWorkflow(
    {
      parameters: { n: { type: 'integer', default: 3 } },
      nodes: [
        { id: 'big', kind: 'sql' },
        { id: 'big_csv', kind: 'publish', inputs: ['big'], destination: { type: 'csv', path: 'out/big.csv' } },
        { id: 'big_sqlite', kind: 'publish', inputs: ['big'], destination: { type: 'sqlite', path: 'out/big.sqlite', table: 'big' } },
      ],
    },
    { 'nodes/big.sql': "SELECT i AS id, 'row ' || i || repeat('x', 40) AS label, i * 0.5 AS score FROM range($n) r(i)" },
    label,
  );
}

const sqliteState = (folder: string) => {
  const db = new Database(join(folder, 'out/big.sqlite'), { readonly: true });
  try {
    return { integrity: db.prepare('PRAGMA integrity_check').pluck().get(), ids: db.prepare('SELECT id FROM big ORDER BY id').pluck().all() };
  } finally {
    db.close();
  }
};

describe('after aqueduct run is killed during a file publish', () => {
  it('the next start rolls back a hot SQLite journal: the table keeps its old rows, and the killed run\'s log says so', async () => {
    const home = tempHome('leftovers-hot');
    const folder = leftoversWorkflow('leftovers-hot-wf');
    const first = aqueduct(home, 'run', folder);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    await killMidPublish(home, folder, true);
    expect(readdirSync(join(folder, 'out'))).toContain('big.sqlite-journal');

    // any start of the app cleans up; `aqueduct runs` is one
    const runs = JSON.parse(aqueduct(home, 'runs', '--json').stdout) as { id: string; status: string }[];
    expect(runs[0]!.status).toBe('interrupted');
    expect(readdirSync(join(folder, 'out')).filter((f) => ours(f) || f.endsWith('-journal'))).toEqual([]);
    expect(sqliteState(folder)).toEqual({ integrity: 'ok', ids: [0, 1, 2] });
    const shown = aqueduct(home, 'show', runs[0]!.id, '--logs');
    expect(shown.stdout).toMatch(/cleaned up after run [0-9a-f]{8} \(interrupted\): rolled back its unfinished change to .*out\/big\.sqlite \(big\.sqlite-journal\)/);
  });

  it('the next run removes its temp file, rolls back the SQLite journal, keeps look-alikes, and says so', async () => {
    const home = tempHome('leftovers');
    const folder = leftoversWorkflow('leftovers-wf');
    const first = aqueduct(home, 'run', folder);
    expect(first.code, first.stdout + first.stderr).toBe(0);

    await killMidPublish(home, folder);
    const left = readdirSync(join(folder, 'out'));
    expect(left.filter(ours)).toHaveLength(1);
    expect(left).toContain('big.sqlite-journal');
    // a file of the user's that only looks like a temp file of ours
    const lookalike = join(folder, 'out', '.big.csv.aq-0badc0de.tmp');
    writeFileSync(lookalike, 'mine');

    const next = aqueduct(home, 'run', folder, '-p', 'n=5');
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toMatch(/cleaned up after run [0-9a-f]{8} \(interrupted\): removed the temp file .*out\/\.big\.csv\.aq-[0-9a-f]{8}\.tmp it left/);
    expect(next.stdout).toMatch(/cleaned up after run [0-9a-f]{8} \(interrupted\): rolled back its unfinished change to .*out\/big\.sqlite \(big\.sqlite-journal\)/);
    const after = readdirSync(join(folder, 'out'));
    expect(after.filter(ours)).toEqual(['.big.csv.aq-0badc0de.tmp']);
    expect(after.filter((f) => f.endsWith('-journal'))).toEqual([]);
    expect(sqliteState(folder)).toEqual({ integrity: 'ok', ids: [0, 1, 2, 3, 4] });

    // the run log keeps it too
    const runs = JSON.parse(aqueduct(home, 'runs', '--json').stdout) as { id: string }[];
    const shown = aqueduct(home, 'show', runs[0]!.id, '--logs');
    expect(shown.stdout).toMatch(/removed the temp file .*\.big\.csv\.aq-[0-9a-f]{8}\.tmp/);
  });
});
