// Kubernetes: no cluster here, so the manifests are checked against the Kubernetes OpenAPI
// schema (kubernetes-models), and the container's work is replayed: the ConfigMap is
// unpacked by its items exactly as the volume would mount it, and the runtime runs from
// there with the container's arguments and environment. Its run must match a local one.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../runner/engine.ts';
import { exportWorkflow } from '../../runner/engines/export.ts';
import { ManifestError, buildManifests, validateManifests } from '../../runner/engines/kubernetes/manifests.ts';
import { recordsInLogs } from '../../runner/engines/run-record.ts';
import { syncRunRecords } from '../../runner/engines/sync.ts';
import type { BundleManifest } from '../../runner/engines/bundle-format.ts';
import { EXAMPLE_CHURN, copyWorkflow, tempHome } from '../helpers/home.ts';
import { enginePython, logEssence, runEssence } from '../helpers/engines-env.ts';
import { makeWorkflow, numbersCsv, openTestEngine } from '../helpers/workflows.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever the file holds: the schema check decides
const read = (file: string): any => YAML.parse(fs.readFileSync(file, 'utf8'));

describe('Kubernetes: ConfigMap, Job and CronJob', () => {
  let engine: Engine;
  let python: string;
  beforeAll(async () => {
    python = enginePython('runtime');
    engine = await openTestEngine('k8s', { python });
  });
  afterAll(() => engine?.close());

  it('writes manifests valid against the Kubernetes schema, and the container would run the workflow as the local runner does', async () => {
    const folder = copyWorkflow(EXAMPLE_CHURN, 'k8s-churn');
    const yamlFile = path.join(folder, 'workflow.yaml');
    fs.writeFileSync(yamlFile, fs.readFileSync(yamlFile, 'utf8') + 'schedule:\n  cron: "0 5 * * *"\n  timezone: America/New_York\n  overlap: cancel\n');
    const out = path.join(tempHome('k8s-out'), 'out');
    const r = await exportWorkflow(folder, { engine: 'kubernetes', out });
    expect(r.files.map((f) => path.basename(f)).sort()).toEqual(['configmap.yaml', 'cronjob.yaml', 'job.yaml']);

    // read back from disk and validated again, as kubectl would receive them
    const cm = new ConfigMap(read(path.join(out, 'configmap.yaml')));
    const job = new Job(read(path.join(out, 'job.yaml')));
    const cron = new CronJob(read(path.join(out, 'cronjob.yaml')));
    for (const o of [cm, job, cron]) expect(() => o.validate()).not.toThrow();
    const container = job.spec!.template.spec!.containers[0]!;
    expect(container.image).toBe('python:3.11-slim');
    expect(container.command!.join(' ')).toContain('pip install --no-cache-dir --quiet --disable-pip-version-check -r /bundle/requirements.txt');
    expect(cron.spec!.schedule).toBe('0 5 * * *');
    expect(cron.spec!.timeZone).toBe('America/New_York');
    expect(cron.spec!.concurrencyPolicy).toBe('Replace');
    expect(cron.spec!.jobTemplate.spec).toEqual(job.spec);
    expect(Object.values(cm.data!).some((t) => t.includes('"format": "aqueduct-bundle/1"'))).toBe(true);

    // unpack the ConfigMap by the volume's items, then run what the container runs
    const volume = job.spec!.template.spec!.volumes!.find((v) => v.name === 'bundle')!;
    const mounted = path.join(tempHome('k8s-pod'), 'bundle');
    for (const item of volume.configMap!.items!) {
      const file = path.join(mounted, item.path);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const text = cm.data?.[item.key];
      fs.writeFileSync(file, text !== undefined ? text : Buffer.from(cm.binaryData![item.key]!, 'base64'));
    }
    // exact pins with hashes: the example's lock (scikit-learn among them) and the runtime's tested duckdb
    const requirements = fs.readFileSync(path.join(mounted, 'requirements.txt'), 'utf8');
    expect(requirements).toMatch(/^duckdb==1\.5\.6 \\\n {4}--hash=sha256:[0-9a-f]{64}/m);
    expect(requirements).toMatch(/^scikit-learn==\d+\.\d+\.\d+ \\$/m);
    const results = path.join(tempHome('k8s-results'), 'results');
    const command = container.command![2]!.split(' && ')[1]!.replace(/^exec /, '').replaceAll('/bundle', mounted).replaceAll('/results', results);
    const envs = Object.fromEntries(container.env!.map((e) => [e.name, e.value!.replaceAll('/bundle', mounted)]));
    const [, ...args] = command.split(' ');
    const run = spawnSync(python, args, { cwd: mounted, env: { ...process.env, ...envs }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const printed = recordsInLogs(run.stdout);
    expect(printed).toHaveLength(1);

    const local = await engine.run(folder, { trigger: 'test' });
    const synced = syncRunRecords(engine.store, engine.paths, results);
    expect(synced.imported.map((x) => x.engine)).toEqual(['kubernetes']);
    const remote = engine.store.getRun(synced.imported[0]!.runId)!;
    expect(remote.trigger).toBe('kubernetes');
    expect(runEssence(remote, path.join(results, 'outputs'))).toEqual(runEssence(local, folder));
    expect(logEssence(engine.store.getLogs(remote.id), path.join(results, 'outputs'))).toEqual(logEssence(engine.store.getLogs(local.id), folder));
  });

  it('the schema check catches a broken manifest, and a bundle too big for a ConfigMap is refused', async () => {
    const folder = makeWorkflow({ nodes: [{ id: 'numbers', kind: 'source', file: 'data/numbers.csv' }] }, { 'data/numbers.csv': numbersCsv(5) }, 'k8s-small');
    const out = path.join(tempHome('k8s-small-out'), 'out');
    const r = await exportWorkflow(folder, { engine: 'kubernetes', out });
    const manifest = JSON.parse(fs.readFileSync(path.join(r.bundleDir, 'aqueduct-bundle.json'), 'utf8')) as BundleManifest;
    const x = buildManifests(manifest, r.bundleDir, { name: 'aq-small', image: 'python:3.11-slim' });
    expect(() => validateManifests(x)).not.toThrow();
    (x.job.spec!.template.spec!.containers[0] as unknown as Record<string, unknown>).ports = 'eighty';
    expect(() => validateManifests(x)).toThrow(/Job aq-small-run: .*ports must be array/);

    const big = makeWorkflow({ nodes: [{ id: 'numbers', kind: 'source', file: 'data/numbers.csv' }] }, { 'data/numbers.csv': numbersCsv(80_000) }, 'k8s-big');
    await expect(exportWorkflow(big, { engine: 'kubernetes', out: path.join(tempHome('k8s-big-out'), 'out') })).rejects.toThrow(ManifestError);
    await expect(exportWorkflow(big, { engine: 'kubernetes', out: path.join(tempHome('k8s-big-out'), 'out') })).rejects.toThrow(/more than a ConfigMap holds \(1 MiB\)/);
  });
});
