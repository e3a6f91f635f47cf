// `npm run bench`: every benchmark of the product, each printing its figures next to a
// baseline measured in a process of its own, taking turns, with the load average.
// Machines here are noisy; read ratios, not times.
import fs from 'node:fs';
import path from 'node:path';

const only = process.argv.slice(2);
const benches: [string, string, string][] = [
  ['cli', './cli.bench.ts', 'benchCli'],
  ['runner', './runner.bench.ts', 'benchRunner'],
  ['scheduler', './scheduler.bench.ts', 'benchScheduler'],
  ['publish', './publish.bench.ts', 'benchPublish'],
  ['editor', './editor.bench.ts', 'benchEditor'],
  ['endpoints', './endpoints.bench.ts', 'benchEndpoints'],
  ['profile', './profile.bench.ts', 'benchProfile'],
  ['diff', './diff.bench.ts', 'benchDiff'],
  ['environments', './environments.bench.ts', 'benchEnvironments'],
];

let failed = false;
for (const [name, file, fn] of benches) {
  if (only.length && !only.includes(name)) continue;
  const abs = path.join(import.meta.dirname, file);
  if (!fs.existsSync(abs)) continue;
  console.log(`\n# ${name}`);
  try {
    const mod = (await import(abs)) as Record<string, () => Promise<void>>;
    await mod[fn]!();
  } catch (e) {
    failed = true;
    console.error(`benchmark ${name} failed: ${(e as Error).stack ?? e}`);
  }
}
process.exit(failed ? 1 : 0);
