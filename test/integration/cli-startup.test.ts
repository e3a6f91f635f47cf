// What `aqueduct` loads before it answers: the help touches no database driver, no
// writer library and no server, and listing runs opens SQLite but neither DuckDB nor
// anything a publish needs. Which packages the process loaded is recorded by a
// `node --import` hook (test/helpers/module-log.mjs), so this holds for the compiled
// bundle and for the TypeScript sources alike.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CHURN, tempHome } from '../helpers/home.ts';

const HOOK = pathToFileURL(path.resolve('test/helpers/module-log.mjs')).href;
const DRIVERS = [
  'better-sqlite3', '@duckdb/node-api', 'mysql2', 'pg', 'pg-copy-streams', 'pg-cursor', 'exceljs', 'nodemailer',
  'snowflake-sdk', '@google-cloud/bigquery', '@googleapis/sheets', 'kubernetes-models', 'ws', '@trpc/server',
];

/** Runs `aqueduct args…` and returns its output and the packages it loaded. */
function aqueductLoading(home: string, ...args: string[]) {
  const log = path.join(home, `modules-${args.join('-').replace(/\W+/g, '_')}.log`);
  const r = spawnSync(process.execPath, ['--import', HOOK, 'bin/aqueduct.mjs', '--home', home, ...args], {
    encoding: 'utf8',
    env: { ...process.env, AQUEDUCT_MODULE_LOG: log, NO_COLOR: '1' },
    timeout: 120_000,
  });
  const files = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  const packages = new Set(files.map(packageOf).filter((p): p is string => p !== undefined));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, packages };
}

/** `…/node_modules/@scope/name/x.js` → `@scope/name` (the innermost node_modules). */
function packageOf(file: string): string | undefined {
  const rest = file.split('/node_modules/').pop();
  if (!rest) return undefined;
  const parts = rest.split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

describe('what aqueduct loads before it answers', () => {
  it('prints the help without loading any database driver, writer library or server', () => {
    const home = tempHome('cli-startup-help');
    const r = aqueductLoading(home, '--help');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Commands:');
    expect(r.stdout).toContain('runs [options]');
    expect(DRIVERS.filter((d) => r.packages.has(d))).toEqual([]);
  });

  it('lists runs with SQLite alone: no DuckDB, no publishing drivers, no server', () => {
    const home = tempHome('cli-startup-runs');
    const r = aqueductLoading(home, 'runs');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('no runs yet');
    // the hook sees drivers when they load: the store's is the one this command needs
    expect(r.packages.has('better-sqlite3')).toBe(true);
    expect(DRIVERS.filter((d) => d !== 'better-sqlite3' && r.packages.has(d))).toEqual([]);
  });

  it('validates a workflow without opening any database', () => {
    const home = tempHome('cli-startup-validate');
    const r = aqueductLoading(home, 'validate', EXAMPLE_CHURN);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('valid: Customer churn');
    expect(DRIVERS.filter((d) => r.packages.has(d))).toEqual([]);
  });
});
