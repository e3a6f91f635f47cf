// The Kubernetes wrapper: a ConfigMap carrying the bundle, a Job that runs it once and,
// when the workflow has a schedule, a CronJob, all on a public Python image that installs
// the runtime's requirements at start. Every object is checked against the Kubernetes
// OpenAPI schema (kubernetes-models, ajv) plus the API server's own name and key rules.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job, type IJob } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import type { BundleManifest } from '../bundle-format.ts';
import { slugOf, type EngineWrapper, type ExportOptions } from '../export.ts';

export const DEFAULT_IMAGE = 'python:3.11-slim';
/** The API server refuses a ConfigMap above 1 MiB (data, keys and metadata together). */
const CONFIGMAP_LIMIT = 1024 * 1024 - 16 * 1024;
const KEY = /^[-._a-zA-Z0-9]+$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class ManifestError extends Error {}

export interface BundleFile {
  key: string;
  path: string;
  text?: string;
  base64?: string;
}

/** Every bundle file as a ConfigMap entry (UTF-8 text in data, anything else in binaryData). */
export function bundleFiles(bundleDir: string): BundleFile[] {
  const out: BundleFile[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(bundleDir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== '__pycache__') walk(r);
        continue;
      }
      const bytes = fs.readFileSync(path.join(bundleDir, r));
      const text = bytes.toString('utf8');
      const key = `f${String(out.length).padStart(3, '0')}.${e.name.replace(/[^-._a-zA-Z0-9]/g, '_')}`.slice(0, 253);
      out.push(Buffer.from(text, 'utf8').equals(bytes) ? { key, path: r, text } : { key, path: r, base64: bytes.toString('base64') });
    }
  };
  walk('');
  return out;
}

export interface ManifestOptions {
  name: string;
  namespace?: string;
  image: string;
  resultsClaim?: string;
}

/** The container every object runs: install the requirements, then the runtime on the mounted bundle. */
function jobSpec(m: BundleManifest, files: BundleFile[], o: ManifestOptions): NonNullable<IJob['spec']> {
  const script = [
    'pip install --no-cache-dir --quiet --disable-pip-version-check -r /bundle/requirements.txt',
    'exec python -m aqueduct_runtime run /bundle --results /results --output-dir /results/outputs --engine kubernetes --trigger kubernetes --print-record',
  ].join(' && ');
  return {
    backoffLimit: 0, // the runtime retries nodes itself (retries: in workflow.yaml)
    ttlSecondsAfterFinished: 7 * 24 * 3600,
    template: {
      metadata: { labels: { 'app.kubernetes.io/name': 'aqueduct', 'aqueduct.dev/workflow': o.name } },
      spec: {
        restartPolicy: 'Never',
        containers: [{
          name: 'runtime',
          image: o.image,
          command: ['/bin/sh', '-c', script],
          workingDir: '/bundle',
          env: [
            { name: 'PYTHONPATH', value: '/bundle' },
            { name: 'PYTHONUNBUFFERED', value: '1' },
            { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
            // parameter values (the workflow's defaults): edit to run with others
            ...Object.entries(m.parameters).map(([k, p]) => ({ name: `AQUEDUCT_PARAM_${k}`, value: p.default === undefined || p.default === null ? '' : String(p.default) }))
              .filter((e) => e.value !== ''),
          ],
          envFrom: Object.keys(m.connections).length ? [{ secretRef: { name: `${o.name}-connections`, optional: true } }] : undefined,
          resources: { requests: { cpu: '500m', memory: '1Gi' } },
          volumeMounts: [{ name: 'bundle', mountPath: '/bundle', readOnly: true }, { name: 'results', mountPath: '/results' }],
        }],
        volumes: [
          { name: 'bundle', configMap: { name: `${o.name}-bundle`, items: files.map((f) => ({ key: f.key, path: f.path })) } },
          o.resultsClaim ? { name: 'results', persistentVolumeClaim: { claimName: o.resultsClaim } } : { name: 'results', emptyDir: {} },
        ],
      },
    },
  };
}

export interface Manifests {
  configMap: ConfigMap;
  job: Job;
  cronJob?: CronJob;
  secret?: Secret;
}

export function buildManifests(m: BundleManifest, bundleDir: string, o: ManifestOptions): Manifests {
  if (!DNS_LABEL.test(o.name) || o.name.length > 52) throw new ManifestError(`"${o.name}" is not a valid Kubernetes name (lowercase letters, digits and -, at most 52)`);
  const files = bundleFiles(bundleDir);
  const meta = (name: string) => ({ name, namespace: o.namespace, labels: { 'app.kubernetes.io/name': 'aqueduct', 'aqueduct.dev/workflow': o.name, 'aqueduct.dev/version': m.version.hash } });
  const configMap = new ConfigMap({
    metadata: meta(`${o.name}-bundle`),
    data: Object.fromEntries(files.filter((f) => f.text !== undefined).map((f) => [f.key, f.text!])),
    binaryData: Object.fromEntries(files.filter((f) => f.base64 !== undefined).map((f) => [f.key, f.base64!])),
  });
  const size = files.reduce((n, f) => n + f.key.length + (f.text !== undefined ? Buffer.byteLength(f.text) : f.base64!.length), 0);
  if (size > CONFIGMAP_LIMIT) {
    throw new ManifestError(`the bundle is ${(size / 1048576).toFixed(2)} MiB, more than a ConfigMap holds (1 MiB); move large data files to a volume or a database the workflow reads`);
  }
  const bad = files.find((f) => !KEY.test(f.key));
  if (bad) throw new ManifestError(`ConfigMap key ${bad.key} is not valid`);
  const spec = jobSpec(m, files, o);
  const job = new Job({ metadata: meta(`${o.name}-run`), spec });
  let cronJob: CronJob | undefined;
  const s = m.schedule;
  if (s) {
    cronJob = new CronJob({
      metadata: meta(`${o.name}-schedule`),
      spec: {
        schedule: s.cron,
        timeZone: s.timezone,
        suspend: s.paused,
        // overlap: skip and queue run one at a time (Kubernetes has no queue); cancel replaces the running one
        concurrencyPolicy: s.overlap === 'cancel' ? 'Replace' : 'Forbid',
        // catch-up: skip misses after a minute; once/each run the latest missed slot
        startingDeadlineSeconds: s.catchup === 'skip' ? 60 : undefined,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: { metadata: { labels: meta('').labels }, spec },
      },
    });
  }
  const secret = Object.keys(m.connections).length
    ? new Secret({
        metadata: meta(`${o.name}-connections`),
        type: 'Opaque',
        stringData: Object.fromEntries(Object.keys(m.connections).map((c) => [`AQUEDUCT_CONNECTION_${c.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}_PASSWORD`, 'replace-me'])),
      })
    : undefined;
  return { configMap, job, cronJob, secret };
}

/** Checks every object against the Kubernetes OpenAPI schema; throws naming the object and the field. */
export function validateManifests(x: Manifests): void {
  for (const obj of [x.configMap, x.job, x.cronJob, x.secret]) {
    if (!obj) continue;
    try {
      obj.validate();
    } catch (e) {
      throw new ManifestError(`${obj.kind} ${obj.metadata?.name}: ${(e as Error).message}`);
    }
  }
}

const toYaml = (o: object) => YAML.stringify(JSON.parse(JSON.stringify(o)), { lineWidth: 0 });

export const kubernetesWrapper: EngineWrapper = {
  bundleDir: (out) => path.join(out, 'bundle'),
  async write(out: string, bundleDir: string, m: BundleManifest, o: ExportOptions) {
    const name = `aq-${slugOf(m.workflow.name, 40).replace(/_/g, '-')}`.replace(/-+$/, '');
    const x = buildManifests(m, bundleDir, { name, namespace: o.namespace, image: o.image ?? DEFAULT_IMAGE, resultsClaim: o.resultsClaim });
    validateManifests(x);
    const files: string[] = [];
    const put = (file: string, docs: object[]) => {
      const p = path.join(out, file);
      fs.writeFileSync(p, docs.map(toYaml).join('---\n'));
      files.push(p);
    };
    put('configmap.yaml', [x.configMap]);
    put('job.yaml', [x.job]);
    if (x.cronJob) put('cronjob.yaml', [x.cronJob]);
    if (x.secret) put('connections-secret.yaml', [x.secret]);
    const apply = ['configmap.yaml', 'job.yaml', ...(x.cronJob ? ['cronjob.yaml'] : [])].map((f) => `-f ${f}`).join(' ');
    const notes = [`kubectl apply ${apply} (job.yaml runs once now${x.cronJob ? ', cronjob.yaml on the schedule' : ''}); the run record is printed in the pod log between markers`];
    if (!o.resultsClaim) notes.push('results go to an emptyDir: pass --results-claim <pvc> to keep run records and published files');
    if (m.schedule?.catchup === 'each') notes.push('schedule catch-up "each": a CronJob runs only the latest missed slot');
    if (x.secret) notes.push('fill in connections-secret.yaml (the passwords of the publish connections) before applying it');
    return { files, notes };
  },
};
