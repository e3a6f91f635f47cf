// Airflow 3's REST API (v2), spoken by the app: a JWT from /auth/token (the simple auth
// manager's and FAB's login, username and password in the body), then DAGs, import
// errors, DAG runs, task instances, XComs, task logs and connections. Failures become one
// sentence naming what the app was doing; the password never appears in one.
import { RemoteEngineError } from '../remote-engine.ts';

export interface AirflowDag {
  dag_id: string;
  is_paused: boolean;
  tags: { name: string }[];
  file_token?: string;
  fileloc?: string;
  relative_fileloc?: string;
  last_parsed_time?: string | null;
}

export interface AirflowDagRun {
  dag_run_id: string;
  state: 'queued' | 'running' | 'success' | 'failed' | string;
  run_type?: string;
  conf?: Record<string, unknown> | null;
  start_date?: string | null;
  end_date?: string | null;
  queued_at?: string | null;
  run_after?: string | null;
}

export interface AirflowTaskInstance {
  task_id: string;
  state: string | null;
  try_number: number;
  start_date?: string | null;
  end_date?: string | null;
}

export interface AirflowImportError {
  filename: string;
  stack_trace: string;
  timestamp: string;
}

export interface AirflowConnection {
  connection_id: string;
  conn_type: string;
  host?: string | null;
  port?: number | null;
  login?: string | null;
  password?: string | null;
  schema?: string | null;
  extra?: string | null;
}

const enc = encodeURIComponent;

export class AirflowClient {
  private readonly base: string;
  private token: string | undefined;

  constructor(url: string, private readonly auth: { username?: string; password?: string } = {}, private readonly timeoutMs = 30_000) {
    this.base = url.trim().replace(/\/+$/, '');
  }

  get url(): string {
    return this.base;
  }

  private async login(): Promise<string | undefined> {
    if (!this.auth.username) return undefined;
    const r = await this.fetch('POST', '/auth/token', { username: this.auth.username, password: this.auth.password ?? '' }, false);
    if (r.status === 401 || r.status === 403) throw new RemoteEngineError(`Airflow at ${this.base} refused the login of user "${this.auth.username}"`, 'check the username and password of the engine connection');
    if (r.status >= 300) throw new RemoteEngineError(`Airflow at ${this.base} gave no token (HTTP ${r.status} from /auth/token)`, 'give the API server\'s address (Airflow 3), with a user of its auth manager');
    return (JSON.parse(r.text) as { access_token: string }).access_token;
  }

  private async fetch(method: string, path: string, body?: unknown, authed = true): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authed && this.token) headers['authorization'] = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      throw new RemoteEngineError(`cannot reach Airflow at ${this.base} (${cause})`, 'check the URL of the engine connection and that the API server is up');
    }
    return { status: res.status, text: await res.text() };
  }

  /** One authenticated call; a 401 logs in again once (tokens expire). */
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    if (this.token === undefined && this.auth.username) this.token = await this.login();
    let r = await this.fetch(method, `/api/v2${path}`, body);
    if (r.status === 401 && this.auth.username) {
      this.token = await this.login();
      r = await this.fetch(method, `/api/v2${path}`, body);
    }
    if (r.status === 401 || r.status === 403) {
      throw new RemoteEngineError(`Airflow at ${this.base} did not allow ${method} ${path.split('?')[0]} (HTTP ${r.status})`, 'give the engine connection a user allowed to manage DAGs, runs and connections (role admin or op)');
    }
    return r;
  }

  private async json<T>(method: string, path: string, body?: unknown, what?: string): Promise<T> {
    const r = await this.call(method, path, body);
    if (r.status < 200 || r.status >= 300) throw new RemoteEngineError(`Airflow could not ${what ?? `answer ${method} ${path}`}: HTTP ${r.status}: ${detail(r.text)}`);
    return (r.text ? JSON.parse(r.text) : {}) as T;
  }

  health(): Promise<{ metadatabase?: { status?: string }; scheduler?: { status?: string }; dag_processor?: { status?: string } }> {
    return this.json('GET', '/monitor/health');
  }

  async dag(dagId: string): Promise<AirflowDag | undefined> {
    const r = await this.call('GET', `/dags/${enc(dagId)}`);
    if (r.status === 404) return undefined;
    if (r.status >= 300) throw new RemoteEngineError(`Airflow could not read DAG ${dagId}: HTTP ${r.status}: ${detail(r.text)}`);
    return JSON.parse(r.text) as AirflowDag;
  }

  setPaused(dagId: string, paused: boolean): Promise<AirflowDag> {
    return this.json('PATCH', `/dags/${enc(dagId)}`, { is_paused: paused }, `${paused ? 'pause' : 'unpause'} DAG ${dagId}`);
  }

  /** Asks the DAG processor to parse a DAG's file again soon (by the token Airflow gave for it). */
  async reparse(fileToken: string): Promise<void> {
    await this.call('PUT', `/parseDagFile/${enc(fileToken)}`);
  }

  async deleteDag(dagId: string): Promise<boolean> {
    const r = await this.call('DELETE', `/dags/${enc(dagId)}`);
    if (r.status === 404) return false;
    if (r.status >= 300) throw new RemoteEngineError(`Airflow could not delete DAG ${dagId}: HTTP ${r.status}: ${detail(r.text)}`, 'wait for its running DAG runs to finish, then undeploy again');
    return true;
  }

  async importErrors(): Promise<AirflowImportError[]> {
    return (await this.json<{ import_errors: AirflowImportError[] }>('GET', '/importErrors?limit=100&order_by=-timestamp')).import_errors;
  }

  trigger(dagId: string, dagRunId: string, conf: Record<string, unknown>): Promise<AirflowDagRun> {
    return this.json('POST', `/dags/${enc(dagId)}/dagRuns`, { dag_run_id: dagRunId, logical_date: null, conf }, `start a run of DAG ${dagId}`);
  }

  dagRun(dagId: string, dagRunId: string): Promise<AirflowDagRun> {
    return this.json('GET', `/dags/${enc(dagId)}/dagRuns/${enc(dagRunId)}`, undefined, `read run ${dagRunId} of DAG ${dagId}`);
  }

  async dagRuns(dagId: string, limit = 10): Promise<AirflowDagRun[]> {
    return (await this.json<{ dag_runs: AirflowDagRun[] }>('GET', `/dags/${enc(dagId)}/dagRuns?limit=${limit}&order_by=-run_after`)).dag_runs;
  }

  setRunState(dagId: string, dagRunId: string, state: 'failed' | 'success' | 'queued'): Promise<AirflowDagRun> {
    return this.json('PATCH', `/dags/${enc(dagId)}/dagRuns/${enc(dagRunId)}`, { state }, `stop run ${dagRunId} of DAG ${dagId}`);
  }

  async taskInstances(dagId: string, dagRunId: string): Promise<AirflowTaskInstance[]> {
    return (await this.json<{ task_instances: AirflowTaskInstance[] }>('GET', `/dags/${enc(dagId)}/dagRuns/${enc(dagRunId)}/taskInstances?limit=1000`)).task_instances;
  }

  /** An XCom's value as Airflow stored it (JSON text for what the runtime pushed), or undefined. */
  async xcom(dagId: string, dagRunId: string, taskId: string, key: string): Promise<unknown> {
    const r = await this.call('GET', `/dags/${enc(dagId)}/dagRuns/${enc(dagRunId)}/taskInstances/${enc(taskId)}/xcomEntries/${enc(key)}`);
    if (r.status === 404) return undefined;
    if (r.status >= 300) throw new RemoteEngineError(`Airflow could not read XCom ${key} of task ${taskId}: HTTP ${r.status}: ${detail(r.text)}`);
    return (JSON.parse(r.text) as { value: unknown }).value;
  }

  /** A task try's log as lines (Airflow 3 answers structured events); [] when there is none yet. */
  async taskLog(dagId: string, dagRunId: string, taskId: string, tryNumber: number): Promise<{ line: string; ts?: number; stdout: boolean }[]> {
    const r = await this.call('GET', `/dags/${enc(dagId)}/dagRuns/${enc(dagRunId)}/taskInstances/${enc(taskId)}/logs/${tryNumber}?full_content=true`);
    if (r.status === 404) return [];
    if (r.status >= 300) throw new RemoteEngineError(`Airflow could not read the log of task ${taskId}: HTTP ${r.status}: ${detail(r.text)}`);
    type Event = { event?: string; timestamp?: string; logger?: string };
    const body = JSON.parse(r.text) as { content?: (Event | string)[] | string };
    const content: (Event | string)[] = typeof body.content === 'string' ? body.content.split('\n') : (body.content ?? []);
    return content.map((c): Event => (typeof c === 'string' ? { event: c } : c)).filter((c) => typeof c.event === 'string')
      .map((c) => ({ line: c.event!, ts: c.timestamp ? Date.parse(c.timestamp) : undefined, stdout: c.logger === 'task.stdout' }));
  }

  /** Creates or replaces a connection (the engine's secret store for the workflow's data connections). */
  async putConnection(c: AirflowConnection): Promise<void> {
    const r = await this.call('PATCH', `/connections/${enc(c.connection_id)}`, c);
    if (r.status === 404) {
      await this.json('POST', '/connections', c, `save connection ${c.connection_id}`);
      return;
    }
    if (r.status >= 300) throw new RemoteEngineError(`Airflow could not save connection ${c.connection_id}: HTTP ${r.status}: ${detail(r.text)}`);
  }

  async deleteConnection(id: string): Promise<void> {
    const r = await this.call('DELETE', `/connections/${enc(id)}`);
    if (r.status >= 300 && r.status !== 404) throw new RemoteEngineError(`Airflow could not delete connection ${id}: HTTP ${r.status}: ${detail(r.text)}`);
  }
}

/** Airflow's error body (`{"detail": …}`) as one short text. */
function detail(text: string): string {
  try {
    const d = (JSON.parse(text) as { detail?: unknown }).detail;
    const s = typeof d === 'string' ? d : JSON.stringify(d);
    return s.slice(0, 300);
  } catch {
    return text.slice(0, 300);
  }
}

/** An ISO time from Airflow as epoch ms. */
export const ms = (iso: string | null | undefined): number | undefined => (iso ? Date.parse(iso) : undefined);
