// "Test connection" for an engine connection: one cheap call that proves the app can
// reach the engine with these settings (Ray's /api/version, Airflow's health endpoint,
// kubectl knowing the context). The answer never carries a secret.
import { spawnSync } from 'node:child_process';
import { childEnv } from '../secrets/process-secrets.ts';
import type { EngineType } from './engine-connections.ts';

export interface EngineTestResult {
  ok: boolean;
  message: string;
  fix?: string;
}

type Settings = { type: EngineType; [field: string]: string };

function scrub(text: string, s: Settings): string {
  return [s['password'], s['token']].filter((v): v is string => !!v && v.length >= 4).reduce((acc, v) => acc.split(v).join('***'), text);
}

export async function testEngineConnection(s: Settings): Promise<EngineTestResult> {
  try {
    const r = await probe(s);
    return { ...r, message: scrub(r.message, s) };
  } catch (e) {
    const err = e as Error & { fix?: string };
    return { ok: false, message: scrub(err.message, s), fix: err.fix };
  }
}

async function probe(s: Settings): Promise<EngineTestResult> {
  switch (s.type) {
    case 'ray': {
      const { RayJobsClient } = await import('./ray/client.ts');
      const v = await new RayJobsClient(s['address'] ?? '', s['token']).version();
      return { ok: true, message: `reached the Ray dashboard (Ray ${v.ray_version ?? v.version ?? 'unknown version'})` };
    }
    case 'airflow':
      return airflowHealth(s);
    case 'kubernetes':
      return kubeContext(s);
  }
}

async function airflowHealth(s: Settings): Promise<EngineTestResult> {
  const base = (s['url'] ?? '').replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (s['username']) headers['authorization'] = `Basic ${Buffer.from(`${s['username']}:${s['password'] ?? ''}`).toString('base64')}`;
  let last = '';
  // Airflow 3 answers on /api/v2/monitor/health, Airflow 2 on /health
  for (const p of ['/api/v2/monitor/health', '/health']) {
    let res: Response;
    try {
      res = await fetch(base + p, { headers, signal: AbortSignal.timeout(15_000) });
    } catch (e) {
      return { ok: false, message: `cannot reach Airflow at ${base} (${(e as Error).message})`, fix: 'check the URL and that the webserver is up' };
    }
    if (res.status === 401 || res.status === 403) return { ok: false, message: `Airflow refused the credentials (HTTP ${res.status})`, fix: 'check the username and password' };
    if (res.ok) {
      const body = (await res.json().catch(() => ({}))) as { metadatabase?: { status?: string }; scheduler?: { status?: string } };
      return { ok: true, message: `reached Airflow (metadatabase ${body.metadatabase?.status ?? '?'}, scheduler ${body.scheduler?.status ?? '?'})` };
    }
    last = `HTTP ${res.status}`;
  }
  return { ok: false, message: `Airflow at ${base} has no health endpoint (${last})`, fix: 'give the webserver / API server address' };
}

function kubeContext(s: Settings): EngineTestResult {
  const args = ['config', 'get-contexts', '-o', 'name'];
  if (s['kubeconfig']) args.push('--kubeconfig', s['kubeconfig']);
  const r = spawnSync('kubectl', args, { encoding: 'utf8', timeout: 15_000, env: childEnv() });
  if (r.error) return { ok: false, message: 'kubectl is not installed on this machine', fix: 'install kubectl, or apply the exported manifests from a machine that has it' };
  if (r.status !== 0) return { ok: false, message: `kubectl failed: ${r.stderr.trim()}` };
  const contexts = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  if (s['context'] && !contexts.includes(s['context'])) {
    return { ok: false, message: `kubeconfig has no context "${s['context']}"`, fix: `use one of ${contexts.join(', ') || '(none)'}` };
  }
  return { ok: true, message: `kubeconfig knows ${s['context'] ? `context "${s['context']}"` : `${contexts.length} context(s)`}` };
}
