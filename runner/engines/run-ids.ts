// The run id of a run an engine started, worked out the same way on both sides: the
// runtime (record.py run_id_for) and the app derive a UUID v5 from the engine's own id
// for the run (e.g. "airflow:<dag id>:<dag run id>"), so the app can file a run it finds
// on the engine under the id its record will carry.
import crypto from 'node:crypto';

const RUN_NAMESPACE = '6f1c2a8e-4b7d-4c59-9a53-2f0e8d1b7c44';

export function runIdFor(engineRunKey: string): string {
  const ns = Buffer.from(RUN_NAMESPACE.replaceAll('-', ''), 'hex');
  const h = crypto.createHash('sha1').update(Buffer.concat([ns, Buffer.from(engineRunKey, 'utf8')])).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export const airflowRunId = (dagId: string, dagRunId: string) => runIdFor(`airflow:${dagId}:${dagRunId}`);
