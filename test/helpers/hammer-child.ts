// A separate process that shares one metadata store with others: it runs a tiny
// workflow again and again and reads the history between runs. Used by the
// multi-process store test; prints one JSON line with what it did.
import { Engine } from '../../runner/engine.ts';

const [home, folder, countArg] = process.argv.slice(2);
const engine = await Engine.open({ home: home!, python: process.env.AQUEDUCT_PYTHON });
const statuses: string[] = [];
const errors: string[] = [];
for (let i = 0; i < Number(countArg); i++) {
  try {
    const run = await engine.run(folder!, { trigger: `hammer-${process.pid}` });
    statuses.push(run.status);
    engine.store.listRuns({ limit: 50 });
    engine.store.listWorkflows();
    engine.store.getLogs(run.id);
  } catch (e) {
    errors.push((e as Error).message);
  }
}
await engine.close();
console.log(JSON.stringify({ pid: process.pid, statuses, errors }));
