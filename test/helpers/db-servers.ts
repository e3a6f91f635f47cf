// Why: integration tests publish to real PostgreSQL and MariaDB servers, not mocks. Each
// call starts a throwaway server in a temp dir on a free loopback port (fast: no fsync)
// with a real user and password, and stop() shuts it down and removes the dir.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync, chownSync, chmodSync, rmSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { ConnectionConfig } from '../../runner/connectors/types.ts';

export interface TestServer {
  config: ConnectionConfig;
  stop(): Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

const isRoot = process.getuid?.() === 0;
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function which(cmd: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return undefined;
}

/** The first of `names` on PATH or in `dirs` (globs of the form /x/y/*\/bin are expanded). */
function findBinary(names: string[], dirs: string[]): string | undefined {
  for (const n of names) {
    const onPath = which(n);
    if (onPath) return onPath;
  }
  for (const d of dirs) {
    const star = d.indexOf('*');
    const expanded = star === -1 ? [d] : (() => {
      const parent = d.slice(0, star);
      const rest = d.slice(star + 1);
      if (!existsSync(parent)) return [];
      return readdirSync(parent).sort((a, b) => Number(b) - Number(a) || b.localeCompare(a)).map((v) => parent + v + rest);
    })();
    for (const dir of expanded) for (const n of names) if (existsSync(join(dir, n))) return join(dir, n);
  }
  return undefined;
}

function aptInstall(pkg: string, what: string): void {
  if (!isRoot) throw new Error(`${what} is not installed: install it (e.g. sudo apt-get install -y ${pkg}) and run the tests again`);
  try {
    execFileSync('apt-get', ['install', '-y', pkg], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    execFileSync('apt-get', ['update'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', pkg], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
}

function need(names: string[], dirs: string[], pkg: string, what: string): string {
  let bin = findBinary(names, dirs);
  if (!bin) {
    aptInstall(pkg, what);
    bin = findBinary(names, dirs);
  }
  if (!bin) throw new Error(`${what} (${names.join(' or ')}) not found even after installing ${pkg}`);
  return bin;
}

async function waitFor<T>(what: string, proc: ChildProcess, logFile: string, attempt: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  let last: unknown;
  while (Date.now() - started < timeoutMs) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
      throw new Error(`${what} exited early (${proc.exitCode ?? proc.signalCode}):\n${log}`);
    }
    try {
      return await attempt();
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms: ${(last as Error)?.message}`);
}

function stopProcess(proc: ChildProcess, signal: NodeJS.Signals, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      live.delete(proc);
      resolve();
    });
    proc.kill(signal);
  });
}

/** uid/gid to run a server as: PostgreSQL refuses to run as root. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (!isRoot) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return postgresUser();
  }
}

export async function startPostgres(): Promise<TestServer> {
  const pgDirs = ['/usr/lib/postgresql/*/bin', '/usr/local/pgsql/bin', '/opt/homebrew/bin'];
  const initdb = need(['initdb'], pgDirs, 'postgresql', 'PostgreSQL');
  const postgres = need(['postgres'], pgDirs, 'postgresql', 'PostgreSQL');
  const dir = mkdtempSync(join(tmpdir(), 'aq-pg-'));
  const data = join(dir, 'data');
  const password = 'aq-test-pw';
  const owner = postgresUser();
  chmodSync(dir, 0o700);
  if (owner) chownSync(dir, owner.uid, owner.gid);
  writeFileSync(join(dir, 'pw'), password);
  if (owner) chownSync(join(dir, 'pw'), owner.uid, owner.gid);
  const env = { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8', HOME: dir };
  execFileSync(initdb, ['-D', data, '-U', 'postgres', '--pwfile', join(dir, 'pw'), '--auth', 'scram-sha-256', '-E', 'UTF8', '--no-sync', '--locale', 'C.UTF-8'], {
    cwd: dir, env, stdio: 'pipe', uid: owner?.uid, gid: owner?.gid,
  });
  const port = await freePort();
  const log = join(dir, 'postgres.log');
  const proc = spawn(postgres, [
    '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    '-c', 'logging_collector=off', '-c', 'max_connections=30', '-c', 'shared_buffers=64MB',
  ], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'], uid: owner?.uid, gid: owner?.gid });
  live.add(proc);
  let logText = '';
  proc.stderr?.on('data', (b: Buffer) => { logText = (logText + b.toString()).slice(-4000); writeFileSync(log, logText); });
  const base = { host: '127.0.0.1', port, user: 'postgres', password };
  const cleanup = async () => {
    await stopProcess(proc, 'SIGINT'); // fast shutdown
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('postgres', proc, log, async () => {
      const c = new pg.Client({ ...base, database: 'postgres' });
      await c.connect();
      await c.query('CREATE DATABASE aqueduct_test');
      await c.end();
    });
  } catch (e) {
    await cleanup();
    throw e;
  }
  const config: ConnectionConfig = { type: 'postgres', ...base, database: 'aqueduct_test' };
  const admin = new pg.Client({ ...base, database: 'aqueduct_test' });
  admin.on('error', () => undefined);
  await admin.connect();
  return {
    config,
    query: async (sql, params) => (await admin.query(sql, params)).rows,
    stop: async () => {
      await admin.end().catch(() => undefined);
      await cleanup();
    },
  };
}

export async function startMariaDb(): Promise<TestServer> {
  const dirs = ['/usr/sbin', '/usr/libexec', '/usr/local/mysql/bin', '/usr/bin'];
  const server = need(['mariadbd', 'mysqld'], dirs, 'mariadb-server', 'MariaDB');
  const install = need(['mariadb-install-db', 'mysql_install_db'], dirs, 'mariadb-server', 'MariaDB');
  const dir = mkdtempSync(join(tmpdir(), 'aq-my-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const log = join(dir, 'error.log');
  const userArgs = isRoot ? ['--user=root'] : [];
  execFileSync(install, ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...userArgs], { stdio: 'pipe' });
  const port = await freePort();
  const proc = spawn(server, [
    '--no-defaults', `--datadir=${data}`, `--socket=${socket}`, `--port=${port}`, '--bind-address=127.0.0.1',
    `--pid-file=${join(dir, 'mysqld.pid')}`, `--log-error=${log}`, '--innodb-flush-log-at-trx-commit=0', '--innodb-doublewrite=0',
    '--skip-log-bin', '--innodb-buffer-pool-size=128M', '--max-allowed-packet=64M', '--character-set-server=utf8mb4', ...userArgs,
  ], { stdio: 'ignore' });
  live.add(proc);
  const cleanup = async () => {
    await stopProcess(proc, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  const password = 'aq-test-pw';
  try {
    await waitFor('mariadbd', proc, log, async () => {
      const root = await mysql.createConnection({ socketPath: socket, user: 'root' });
      await root.query('CREATE DATABASE aqueduct_test CHARACTER SET utf8mb4');
      await root.query(`CREATE USER 'aq'@'127.0.0.1' IDENTIFIED BY '${password}'`);
      await root.query(`GRANT ALL PRIVILEGES ON *.* TO 'aq'@'127.0.0.1'`);
      await root.end();
    });
  } catch (e) {
    await cleanup();
    throw e;
  }
  const config: ConnectionConfig = { type: 'mariadb', host: '127.0.0.1', port, user: 'aq', password, database: 'aqueduct_test' };
  const admin = await mysql.createConnection({
    host: '127.0.0.1', port, user: 'aq', password, database: 'aqueduct_test', dateStrings: true, supportBigNumbers: true, bigNumberStrings: true, timezone: 'Z',
  });
  admin.on('error', () => undefined);
  return {
    config,
    query: async (sql, params) => {
      const [rows] = await admin.query(sql, params);
      return rows as unknown[];
    },
    stop: async () => {
      await admin.end().catch(() => undefined);
      await cleanup();
    },
  };
}

// ---- sample data for the publish tests (DuckDB writes the Parquet a run would write) ----

/** Columns of every type the publishers map, a row of NULLs, and unicode text. */
export const SAMPLE_SQL = `SELECT * FROM (VALUES
  (1, 1.5::DOUBLE, 12.345::DECIMAL(10,3), true, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05.123456', TIMESTAMPTZ '2024-01-02 03:04:05.5+02', 'Zürich ✓ 東京', 9007199254740993::BIGINT),
  (2, -0.25::DOUBLE, -0.001::DECIMAL(10,3), false, DATE '1999-12-31', TIMESTAMP '1999-12-31 23:59:59', TIMESTAMPTZ '1999-12-31 23:59:59+00', 'say "hi", then' || chr(10) || 'leave', -5::BIGINT),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
) t(id, f, d, b, dt, ts, tz, s, big)`;

/** DuckDB types of SAMPLE_SQL, for reading CSV/JSON back exactly. */
export const SAMPLE_TYPES: Record<string, string> = {
  id: 'INTEGER', f: 'DOUBLE', d: 'DECIMAL(10,3)', b: 'BOOLEAN', dt: 'DATE', ts: 'TIMESTAMP', tz: 'TIMESTAMPTZ', s: 'VARCHAR', big: 'BIGINT',
};

/** A scratch DuckDB (UTC) for writing test Parquet and reading results back. */
export async function scratchDuck() {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run("SET TimeZone = 'UTC'");
  const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
  return {
    lit,
    async parquet(sql: string, path: string): Promise<string> {
      await conn.run(`COPY (${sql}) TO ${lit(path)} (FORMAT parquet)`);
      return path;
    },
    async rows(sql: string): Promise<unknown[][]> {
      return (await conn.runAndReadAll(sql)).getRowsJS() as unknown[][];
    },
    async value(sql: string): Promise<unknown> {
      return (await conn.runAndReadAll(sql)).getRowsJS()[0]?.[0];
    },
    /** rows in a but not b plus rows in b but not a (multiset), 0 when equal */
    async diff(a: string, b: string): Promise<number> {
      const n = await conn.runAndReadAll(`SELECT (SELECT count(*) FROM ((${a}) EXCEPT ALL (${b}))) + (SELECT count(*) FROM ((${b}) EXCEPT ALL (${a})))`);
      return Number(n.getRows()[0]![0]);
    },
    close(): void {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
