// Endpoints benchmark: requests/s of a keyed lookup (?customer_id=<n>) on a 1,000,000-row
// output served by `aqueduct serve` (a process of its own), over real HTTP with an endpoint key, next to
// the floor of the same work: DuckDB answering the same lookup over the same Parquet in a
// process of its own (no HTTP, no JSON, no key check). Rounds alternate, medians of five;
// the load average is printed because the machines are shared.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { figure, heading, median, ratio } from './report.ts';

const run = promisify(execFile);
const ROWS = 1_000_000;
const LOOKUPS = 1000;
const ROUNDS = 5;

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

async function lookups(url: string, key: string, count: number, concurrency: number): Promise<Sample> {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % ROWS;
  const lat: number[] = [];
  let left = count;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) {
        const t = performance.now();
        const res = await fetch(`${url}?customer_id=${next()}`, { headers: { Authorization: `Bearer ${key}` } }).catch((e: Error) => { throw new Error(`lookup failed: ${String((e.cause as Error | undefined)?.message ?? e.message)}`); });
        const body = (await res.json()) as { rows: unknown[] };
        if (res.status !== 200 || body.rows.length !== 1) throw new Error(`lookup answered ${res.status} with ${body.rows?.length} rows`);
        lat.push(performance.now() - t);
      }
    }),
  );
  const elapsed = performance.now() - started;
  lat.sort((a, b) => a - b);
  return { perSecond: (count / elapsed) * 1000, p50: percentile(lat, 0.5), p99: percentile(lat, 0.99) };
}

interface Sample {
  perSecond: number;
  p50: number;
  p99: number;
}

async function baseline(file: string): Promise<Sample> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'duckdb-lookup.ts'), file, String(LOOKUPS), String(ROWS)], { encoding: 'utf8' });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Sample;
}

function aqueduct(home: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, ['bin/aqueduct.mjs', '--home', home, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`aqueduct ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** `aqueduct serve` in a process of its own; resolves with its address once it listens. */
function serve(home: string): Promise<{ proc: ChildProcess; base: string }> {
  const proc = spawn(process.execPath, ['bin/aqueduct.mjs', '--home', home, 'serve', '--port', '0'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /running at (http:\/\/[^/]+)\//.exec(out);
      if (m) resolve({ proc, base: m[1]! });
    });
    proc.on('exit', (code) => reject(new Error(`aqueduct serve exited with ${code}: ${out}`)));
  });
}

export async function benchEndpoints(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-bench-endpoints-'));
  const home = path.join(dir, 'home');
  const folder = path.join(dir, 'customers');
  fs.mkdirSync(path.join(folder, 'data'), { recursive: true });
  const duck = await DuckDBInstance.create(':memory:');
  const c = await duck.connect();
  await c.run(`COPY (SELECT i AS customer_id, ['low', 'medium', 'high'][i % 3 + 1] AS band, (i * 37 % 1000) / 1000.0 AS score, DATE '2020-01-01' + (i % 1500)::INTEGER AS since FROM range(${ROWS}) r(i)) TO '${path.join(folder, 'data', 'customers.parquet')}' (FORMAT parquet)`);
  c.closeSync();
  duck.closeSync();
  fs.writeFileSync(path.join(folder, 'workflow.yaml'), 'name: Customers\nendpoints: [customers]\nnodes:\n  - id: customers\n    kind: source\n    file: data/customers.parquet\n');
  aqueduct(home, 'run', folder);
  const [run] = JSON.parse(aqueduct(home, 'runs', '--json')) as { id: string }[];
  const served = path.join(home, 'runs', run!.id, 'customers.parquet');
  const key = aqueduct(home, 'endpoints', 'keys', 'create', 'Customers', 'customers', '--label', 'bench').trim();
  const server = await serve(home);
  try {
    const url = `${server.base}/api/v1/outputs/customers/customers`;
    await lookups(url, key, 50, 1); // warm up: file metadata, connections
    heading(`Keyed lookup on a ${ROWS.toLocaleString('en')}-row output (${LOOKUPS} lookups per round, ${ROUNDS} rounds, alternating)`);
    console.log(`  aqueduct serve, the client (this process) and the baseline each run in a process of their own`);
    console.log(`  load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} on ${os.cpus().length} cores`);
    const ours: Sample[] = [];
    const ours4: Sample[] = [];
    const base: Sample[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      ours.push(await lookups(url, key, LOOKUPS, 1));
      base.push(await baseline(served));
      ours4.push(await lookups(url, key, LOOKUPS, 4));
    }
    const m = (xs: Sample[], f: keyof Sample) => median(xs.map((x) => x[f]));
    figure('endpoint over HTTP, one client', m(ours, 'perSecond'), 'requests/s', `p50 ${m(ours, 'p50').toFixed(2)} ms, p99 ${m(ours, 'p99').toFixed(2)} ms`);
    figure('endpoint over HTTP, four clients at once', m(ours4, 'perSecond'), 'requests/s', `p50 ${m(ours4, 'p50').toFixed(2)} ms, p99 ${m(ours4, 'p99').toFixed(2)} ms`);
    figure('baseline: DuckDB prepared lookup, own process', m(base, 'perSecond'), 'lookups/s', `p50 ${m(base, 'p50').toFixed(2)} ms, p99 ${m(base, 'p99').toFixed(2)} ms`);
    ratio('endpoint (one client) / baseline, lookups per second', m(ours, 'perSecond'), m(base, 'perSecond'));
    console.log(`  load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} after`);
  } finally {
    server.proc.kill('SIGTERM');
    await new Promise((r) => server.proc.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
