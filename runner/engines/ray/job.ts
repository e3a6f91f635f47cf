// The Ray wrapper: the bundle is the job's working_dir, and ray-job.json beside the
// manifest says how to submit it (entrypoint, runtime_env), for `aqueduct engines submit`
// or by hand (ray job submit --working-dir <bundle> -- python -m aqueduct_runtime ray …).
import fs from 'node:fs';
import path from 'node:path';
import type { BundleManifest } from '../bundle-format.ts';
import type { EngineWrapper } from '../export.ts';

export const RAY_JOB_FILE = 'ray-job.json';

/** The job's entrypoint: the runtime's Ray driver with this run's id, folders and parameters. */
export function rayEntrypoint(o: { runId: string; resultsDir: string; outputDir?: string; params?: Record<string, string> }): string {
  const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const args = ['python', '-m', 'aqueduct_runtime', 'ray', '.', '--results', q(o.resultsDir), '--run-id', o.runId, '--print-record', '--trigger', 'ray'];
  if (o.outputDir) args.push('--output-dir', q(o.outputDir));
  for (const [k, v] of Object.entries(o.params ?? {})) args.push('--param', q(`${k}=${v}`));
  return args.join(' ');
}

export const rayWrapper: EngineWrapper = {
  bundleDir: (out) => out,
  async write(out: string, bundleDir: string, m: BundleManifest) {
    const spec = {
      entrypoint: 'python -m aqueduct_runtime ray . --results /tmp/aqueduct-results --print-record',
      runtime_env: { working_dir: '.', excludes: ['out/', 'results/'] },
      requirements: m.requirements,
      note: 'the cluster needs the requirements installed (or add them as runtime_env.pip when it can reach PyPI)',
    };
    const file = path.join(bundleDir, RAY_JOB_FILE);
    fs.writeFileSync(file, JSON.stringify(spec, null, 2) + '\n');
    return {
      files: [file],
      notes: ['submit with `aqueduct engines submit <folder> --ray <address>`, or `ray job submit --working-dir <bundle> -- python -m aqueduct_runtime ray . --results <dir>`'],
    };
  },
};
