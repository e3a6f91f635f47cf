// The Ray Jobs API, spoken by the app itself over HTTP (the REST API the dashboard serves,
// the one Ray's JobSubmissionClient uses): upload a working_dir package, submit a job,
// follow its status, read its logs, stop it. No Python on the app's side.
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { RemoteEngineError } from '../remote-engine.ts';

export type RayJobStatus = 'PENDING' | 'RUNNING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED';
export const RAY_FINISHED: readonly RayJobStatus[] = ['STOPPED', 'SUCCEEDED', 'FAILED'];

export interface RayJobInfo {
  status: RayJobStatus;
  message?: string;
  submission_id?: string;
  start_time?: number;
  end_time?: number;
}

export interface RaySubmission {
  entrypoint: string;
  submission_id?: string;
  runtime_env?: Record<string, unknown>;
  metadata?: Record<string, string>;
  entrypoint_num_cpus?: number;
}

export class RayError extends RemoteEngineError {
  constructor(message: string, fix?: string) {
    super(message, fix);
    this.name = 'RayError';
  }
}

export class RayJobsClient {
  private readonly base: string;

  constructor(address: string, private readonly token?: string) {
    this.base = (/^https?:\/\//.test(address) ? address : `http://${address}`).replace(/\/+$/, '');
  }

  /**
   * One HTTP request with node:http, not fetch: fetch always sends `Sec-Fetch-Mode`, which
   * the dashboard takes for a browser and refuses on writes (a CSRF guard).
   */
  private request(method: string, path: string, body?: Buffer | object): Promise<{ status: number; text: string }> {
    const url = new URL(this.base + path);
    const headers: Record<string, string> = { 'user-agent': 'aqueduct-desktop', accept: 'application/json' };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    if (payload) {
      headers['content-type'] = Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers, timeout: 120_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (e: NodeJS.ErrnoException) =>
        reject(new RayError(`cannot reach the Ray dashboard at ${this.base} (${e.code ?? e.message})`, 'check the address (the dashboard port, 8265 by default) and that the cluster is up')),
      );
      req.end(payload);
    });
  }

  private async json<T>(method: string, path: string, body?: object): Promise<T> {
    const r = await this.request(method, path, body);
    if (r.status < 200 || r.status >= 300) throw new RayError(`Ray ${method} ${path}: HTTP ${r.status}: ${r.text.slice(0, 500)}`);
    return JSON.parse(r.text) as T;
  }

  version(): Promise<{ ray_version?: string; version?: string }> {
    return this.json('GET', '/api/version');
  }

  /** Uploads a zip (once: the name is its content hash); returns the gcs:// URI for runtime_env. */
  async uploadPackage(zip: Buffer): Promise<string> {
    const name = `_ray_pkg_${crypto.createHash('sha1').update(zip).digest('hex')}.zip`;
    const path = `/api/packages/gcs/${name}`;
    const exists = await this.request('GET', path);
    if (exists.status !== 200) {
      const r = await this.request('PUT', path, zip);
      if (r.status !== 200) throw new RayError(`uploading the bundle to Ray failed: HTTP ${r.status}: ${r.text.slice(0, 500)}`);
    }
    return `gcs://${name}`;
  }

  async submit(job: RaySubmission): Promise<string> {
    const r = await this.json<{ submission_id?: string; job_id?: string }>('POST', '/api/jobs/', job);
    return r.submission_id ?? r.job_id ?? job.submission_id ?? '';
  }

  status(id: string): Promise<RayJobInfo> {
    return this.json('GET', `/api/jobs/${encodeURIComponent(id)}`);
  }

  async logs(id: string): Promise<string> {
    return (await this.json<{ logs: string }>('GET', `/api/jobs/${encodeURIComponent(id)}/logs`)).logs;
  }

  async stop(id: string): Promise<boolean> {
    return (await this.json<{ stopped: boolean }>('POST', `/api/jobs/${encodeURIComponent(id)}/stop`)).stopped;
  }

  /** Polls until the job finishes (or the time runs out, or the signal aborts: then it is stopped). */
  async wait(id: string, o: { timeoutMs?: number; pollMs?: number; signal?: AbortSignal } = {}): Promise<RayJobInfo> {
    const deadline = Date.now() + (o.timeoutMs ?? 30 * 60_000);
    for (;;) {
      const info = await this.status(id);
      if (RAY_FINISHED.includes(info.status)) return info;
      if (Date.now() > deadline || o.signal?.aborted) {
        await this.stop(id).catch(() => false);
        throw new RayError(`Ray job ${id} did not finish in time (last status ${info.status}); it was stopped`);
      }
      await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
    }
  }
}
