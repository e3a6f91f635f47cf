// The baseline of the endpoints benchmark, in a process of its own: the same keyed lookup
// as the endpoint serves, straight through DuckDB over the same Parquet (a prepared
// statement, the key bound), no HTTP, no JSON. Prints {"perSecond", "p50", "p99"} (ms).
import { DuckDBInstance } from '@duckdb/node-api';

const [file, countText, maxKeyText] = process.argv.slice(2) as [string, string, string];
const count = Number(countText);
const maxKey = Number(maxKeyText);
const duck = await DuckDBInstance.create(':memory:');
const c = await duck.connect();
const p = await c.prepare(`SELECT * FROM read_parquet('${file.replaceAll("'", "''")}') WHERE customer_id = CAST($1 AS BIGINT)`);
const lat: number[] = [];
let seed = 7;
const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % maxKey;
const started = performance.now();
for (let i = 0; i < count; i++) {
  const t = performance.now();
  p.bindVarchar(1, String(next()));
  const rows = (await p.runAndReadAll()).getRows();
  if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}`);
  lat.push(performance.now() - t);
}
const elapsed = performance.now() - started;
lat.sort((a, b) => a - b);
console.log(JSON.stringify({ perSecond: (count / elapsed) * 1000, p50: lat[Math.floor(lat.length * 0.5)], p99: lat[Math.floor(lat.length * 0.99)] }));
c.closeSync();
duck.closeSync();
