// Pushing a workflow to Ray from the app: export the bundle, upload it as the job's
// working_dir, submit the runtime's Ray driver through the Jobs API, wait, and bring the
// run record back (from shared storage when the cluster writes there, else from the
// job's logs) into a local results folder that `engines sync` imports.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportWorkflow } from '../export.ts';
import { RunRecord, recordsInLogs } from '../run-record.ts';
import { RayError, RayJobsClient, type RayJobInfo } from './client.ts';
import { rayEntrypoint } from './job.ts';

export interface RaySubmitOptions {
  address: string;
  token?: string;
  params?: Record<string, string>;
  /** local folder the run record is written to (for engines sync) */
  resultsDir: string;
  /** where the cluster writes records and tables (default /tmp/aqueduct-ray-results on the head node) */
  remoteResultsDir?: string;
  /** where relative publish paths go on the cluster (default: the job's working_dir) */
  outputDir?: string;
  /** have Ray pip-install the bundle's requirements for the job (the cluster must reach PyPI) */
  installRequirements?: boolean;
  requirements?: string[];
  /** makes the workflow's requirements.lock current before exporting */
  ensureLock?: (folder: string) => Promise<unknown>;
  home?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RaySubmitResult {
  runId: string;
  submissionId: string;
  job: RayJobInfo;
  recordFile?: string;
  logs: string;
}

export async function submitToRay(folder: string, o: RaySubmitOptions): Promise<RaySubmitResult> {
  const client = new RayJobsClient(o.address, o.token);
  await client.version();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aqueduct-ray-'));
  try {
    const exported = await exportWorkflow(folder, { engine: 'ray', out: path.join(tmp, 'bundle'), home: o.home, requirements: o.requirements, ensureLock: o.ensureLock });
    const { zipFolder } = await import('./zip.ts');
    const manifest = JSON.parse(fs.readFileSync(path.join(exported.bundleDir, 'aqueduct-bundle.json'), 'utf8')) as { requirements: string[] };
    const uri = await client.uploadPackage(zipFolder(exported.bundleDir));
    const runId = crypto.randomUUID();
    const remoteResults = o.remoteResultsDir ?? path.posix.join('/tmp', 'aqueduct-ray-results');
    const runtimeEnv: Record<string, unknown> = { working_dir: uri };
    if (o.installRequirements) runtimeEnv['pip'] = manifest.requirements;
    const submissionId = await client.submit({
      entrypoint: rayEntrypoint({ runId, resultsDir: remoteResults, outputDir: o.outputDir, params: o.params }),
      submission_id: `aqueduct-${runId}`,
      runtime_env: runtimeEnv,
      metadata: { aqueduct_workflow: exported.workflow, aqueduct_version: exported.versionHash, aqueduct_run: runId },
    });
    const job = await client.wait(submissionId, { timeoutMs: o.timeoutMs, signal: o.signal });
    const logs = await client.logs(submissionId);
    const recordFile = bringRecordBack(runId, logs, o.resultsDir);
    if (!recordFile && job.status !== 'SUCCEEDED') {
      throw new RayError(`Ray job ${submissionId} ${job.status.toLowerCase()} before writing a run record: ${job.message ?? ''}\n${logs.split('\n').slice(-30).join('\n')}`);
    }
    return { runId, submissionId, job, recordFile, logs };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The record file in the local results folder: already there (shared storage) or taken from the logs. */
function bringRecordBack(runId: string, logs: string, resultsDir: string): string | undefined {
  const file = path.join(resultsDir, `${runId}.json`);
  if (fs.existsSync(file)) return file;
  const found = recordsInLogs(logs).map((r) => RunRecord.safeParse(r)).find((r) => r.success && r.data.runId === runId);
  if (!found?.success) return undefined;
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(found.data, null, 1));
  return file;
}
