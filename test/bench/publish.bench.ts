// Publishing benchmark: 1M rows into a real PostgreSQL by our writer (Parquet → COPY in
// one transaction, staging + rename), next to psql's \copy of the same rows from a CSV
// (the floor of what a client can do) and pandas to_sql(method="multi") (what a data
// scientist would otherwise write), all against one server in the same run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getDestinationWriter } from '../../runner/connectors/registry.ts';
import { scratchDuck, startPostgres } from '../helpers/db-servers.ts';
import { figure, heading, loadAverage, median, ratio, time } from './report.ts';

const ROWS = 1_000_000;
const SELECT = `SELECT i AS id, i * 0.5 AS val, 'row ' || i || ' ✓' AS txt, DATE '2000-01-01' + (i % 10000)::INTEGER AS day, i % 3 = 0 AS flag FROM range(${ROWS}) r(i)`;
const DDL = (t: string) => `CREATE TABLE ${t} (id BIGINT, val DOUBLE PRECISION, txt TEXT, day DATE, flag BOOLEAN)`;

/** The venv's Python with pandas, SQLAlchemy and psycopg2 (installed from requirements-test.txt if missing). */
function benchPython(): string {
  const python = process.env.AQUEDUCT_PYTHON ?? path.resolve('.venv/bin/python');
  const has = () => spawnSync(python, ['-c', 'import pandas, pyarrow, sqlalchemy, psycopg2'], { stdio: 'ignore' }).status === 0;
  if (!has()) {
    const r = spawnSync(python, ['-m', 'pip', 'install', '-q', '-r', 'resources/python/requirements-test.txt'], { stdio: 'inherit' });
    if (r.status !== 0 || !has()) throw new Error(`${python} lacks pandas/SQLAlchemy/psycopg2 and pip could not install them`);
  }
  return python;
}

function psqlBinary(): string {
  for (const p of ['psql', ...fs.readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin/psql`)]) {
    if (spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0) return p;
  }
  throw new Error('psql not found: install postgresql-client');
}

const PANDAS = `
import sys, time, pandas as pd, sqlalchemy as sa
url, parquet = sys.argv[1], sys.argv[2]
df = pd.read_parquet(parquet)
engine = sa.create_engine(url)
t = time.perf_counter()
df.to_sql('by_pandas', engine, if_exists='replace', index=False, method='multi', chunksize=10000)
print(time.perf_counter() - t)
`;

export async function benchPublish(): Promise<void> {
  const python = benchPython();
  const psql = psqlBinary();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-bench-publish-'));
  const [server, duck] = await Promise.all([startPostgres(), scratchDuck()]);
  try {
    const parquet = await duck.parquet(SELECT, path.join(dir, 'rows.parquet'));
    const csv = path.join(dir, 'rows.csv');
    await duck.rows(`COPY (${SELECT}) TO ${duck.lit(csv)} (FORMAT csv, HEADER)`);
    const cfg = server.config;
    heading(`Publishing ${ROWS.toLocaleString('en')} rows to PostgreSQL (one local server, same run)`);

    // ours and \copy take turns, so both meet the same noise of a shared machine
    const writer = getDestinationWriter('postgres');
    const env = { ...process.env, PGPASSWORD: String(cfg.password) };
    const conn = ['-h', String(cfg.host), '-p', String(cfg.port), '-U', String(cfg.user), '-d', String(cfg.database), '-v', 'ON_ERROR_STOP=1', '-q'];
    const ours: number[] = [];
    const copies: number[] = [];
    for (let k = 0; k < 5; k++) {
      const r = await time(() => writer.publish({ parquetPath: parquet, destination: { type: 'postgres', table: 'by_aqueduct', connection: 'bench' }, mode: 'replace', workflowFolder: dir, connection: cfg }));
      if (r.value.rows !== ROWS) throw new Error(`published ${r.value.rows} rows, expected ${ROWS}`);
      ours.push(r.ms);
      await server.query('DROP TABLE IF EXISTS by_copy');
      await server.query(DDL('by_copy'));
      const c = await time(async () => spawnSync(psql, [...conn, '-c', `\\copy by_copy FROM '${csv}' WITH (FORMAT csv, HEADER)`], { env, encoding: 'utf8' }));
      if (c.value.status !== 0) throw new Error(`psql \\copy failed: ${c.value.stderr}`);
      copies.push(c.ms);
    }
    const copied = Number((await server.query('SELECT count(*)::int AS n FROM by_copy'))[0].n);

    const url = `postgresql+psycopg2://${cfg.user}:${encodeURIComponent(String(cfg.password))}@${cfg.host}:${cfg.port}/${cfg.database}`;
    const py = spawnSync(python, ['-c', PANDAS, url, parquet], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (py.status !== 0) throw new Error(`pandas to_sql failed: ${py.stderr}`);
    const pandasMs = Number(py.stdout.trim().split('\n').pop()) * 1000;
    const byPandas = Number((await server.query('SELECT count(*)::int AS n FROM by_pandas'))[0].n);
    if (copied !== ROWS || byPandas !== ROWS) throw new Error(`row counts differ: copy ${copied}, pandas ${byPandas}`);

    const rate = (ms: number) => ROWS / (ms / 1000);
    loadAverage();
    figure('aqueduct postgres writer (median of 5)', rate(median(ours)), 'rows/s', `${(median(ours) / 1000).toFixed(2)} s`);
    figure('psql \\copy from CSV (median of 5, baseline)', rate(median(copies)), 'rows/s', `${(median(copies) / 1000).toFixed(2)} s`);
    figure('pandas to_sql(method="multi", chunksize=10000)', rate(pandasMs), 'rows/s', `${(pandasMs / 1000).toFixed(2)} s`);
    ratio('aqueduct / psql \\copy', rate(median(ours)), rate(median(copies)), '≥ 0.70');
    ratio('aqueduct / pandas to_sql', rate(median(ours)), rate(pandasMs), '≥ 5');
  } finally {
    duck.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
