// One measured diff for the diff benchmark, in a process of its own: `keyed` and `multiset`
// call the diff service on two runs' 1M-row outputs; `except` is the baseline, a plain
// DuckDB EXCEPT ALL both ways over the same two files. Prints {"ms": …} as its last line.
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine } from '../../runner/engine.ts';
import { diffOutputs } from '../../runner/monitor/diff/diff-outputs.ts';

const [home, runA, runB, mode] = process.argv.slice(2);
const engine = await Engine.open({ home });
try {
  if (mode === 'except') {
    const a = engine.store.getNodeRun(runA!, 'table')!.artifactPath!;
    const b = engine.store.getNodeRun(runB!, 'table')!.artifactPath!;
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const t = performance.now();
    await c.runAndReadAll(`SELECT (SELECT count(*) FROM (SELECT * FROM read_parquet('${a}') EXCEPT ALL SELECT * FROM read_parquet('${b}'))),
      (SELECT count(*) FROM (SELECT * FROM read_parquet('${b}') EXCEPT ALL SELECT * FROM read_parquet('${a}')))`);
    console.log(JSON.stringify({ ms: performance.now() - t }));
    c.closeSync();
    db.closeSync();
  } else {
    const t = performance.now();
    const d = await diffOutputs(engine.duck, engine.store, runA!, runB!, 'table', mode === 'keyed' ? { key: ['id'] } : {});
    console.log(JSON.stringify({ ms: performance.now() - t, result: d.result.mode === 'key' ? [d.result.added, d.result.removed, d.result.changed] : [d.result.onlyInA, d.result.onlyInB] }));
  }
} finally {
  await engine.close();
}
