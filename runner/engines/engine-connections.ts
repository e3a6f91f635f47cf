// Engine connections: where the app pushes workflows (an Airflow webserver with its user,
// a Ray cluster's dashboard address, a Kubernetes context and namespace), kept beside the
// data connections in a table of their own. Secrets (passwords, tokens) are sealed with
// the SecretBox before they are written; what list/get return never holds one.
import type { Db } from '../store/db.ts';
import { systemClock, type StoreClock } from '../store/metadata-store.ts';
import { loadSecretBox, type SecretBox } from '../secrets/secret-box.ts';

export type EngineType = 'airflow' | 'ray' | 'kubernetes';

interface FieldSpec {
  name: string;
  secret?: boolean;
  required?: boolean;
  help: string;
}

export const ENGINE_FIELDS: Record<EngineType, FieldSpec[]> = {
  airflow: [
    { name: 'url', required: true, help: 'the Airflow 3 API server, e.g. http://airflow.internal:8080' },
    { name: 'username', help: 'a user allowed to trigger DAGs' },
    { name: 'password', secret: true, help: "that user's password" },
    { name: 'dagsFolder', help: 'the folder Airflow reads DAGs from, writable here (a mount or synced folder): Deploy writes there' },
    { name: 'sharedDir', help: 'storage every worker reaches: tables between tasks and run records' },
  ],
  ray: [
    { name: 'address', required: true, help: "the Ray dashboard's address, e.g. http://127.0.0.1:8265" },
    { name: 'token', secret: true, help: 'a bearer token, when the dashboard sits behind an authenticating proxy' },
    { name: 'resultsDir', help: 'storage the cluster writes run records to (else they are read from the job logs)' },
  ],
  kubernetes: [
    { name: 'context', help: 'the kubeconfig context to use' },
    { name: 'namespace', help: 'namespace for the Job, CronJob and ConfigMap' },
    { name: 'kubeconfig', help: 'path of the kubeconfig file' },
    { name: 'image', help: 'the Python base image (default python:3.11-slim)' },
    { name: 'resultsClaim', help: 'a PersistentVolumeClaim for run records and published files' },
  ],
};

export interface EngineConnectionInfo {
  id: string;
  name: string;
  type: EngineType;
  config: Record<string, string>;
  /** `hasPassword: true` … one flag per secret field */
  secrets: Record<string, boolean>;
  createdAt: number;
  updatedAt: number;
}

export class EngineConnectionError extends Error {
  constructor(message: string, readonly fix?: string) {
    super(message);
    this.name = 'EngineConnectionError';
  }
}

interface Row { id: string; name: string; type: EngineType; config: string; secrets: string; created_at: number; updated_at: number }

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const flag = (f: string) => `has${f[0]!.toUpperCase()}${f.slice(1)}`;

export class EngineConnectionService {
  private box: SecretBox | undefined;

  constructor(private readonly db: Db, private readonly home: string, private readonly clock: StoreClock = systemClock) {}

  private sealer(): SecretBox {
    this.box ??= loadSecretBox(this.home);
    return this.box;
  }

  list(): EngineConnectionInfo[] {
    return (this.db.prepare('SELECT * FROM engine_connections ORDER BY name COLLATE NOCASE').all() as Row[]).map(toInfo);
  }

  get(name: string): EngineConnectionInfo {
    return toInfo(this.row(name));
  }

  /** Saves a new engine connection, or (replace) updates one; secrets not given are kept. */
  save(input: { name: string; type: string; [field: string]: unknown }, replace = false): EngineConnectionInfo {
    const name = input.name.trim();
    if (!NAME.test(name)) throw new EngineConnectionError(`"${name}" is not a valid name`, 'use letters, digits, _, - or . (up to 64)');
    const type = input.type as EngineType;
    const fields = ENGINE_FIELDS[type];
    if (!fields) throw new EngineConnectionError(`unknown engine type "${input.type}"`, 'use airflow, ray or kubernetes');
    const old = this.find(name);
    if (old && !replace) throw new EngineConnectionError(`an engine connection named "${name}" already exists`, 'use --replace to update it');
    if (old && old.type !== type) throw new EngineConnectionError(`"${name}" is a ${old.type} connection`, 'remove it first to change its type');
    const config: Record<string, string> = old ? JSON.parse(old.config) : {};
    const secrets: Record<string, string> = old ? JSON.parse(old.secrets) : {};
    for (const [k, v] of Object.entries(input)) {
      if (k === 'name' || k === 'type' || v === undefined || v === '') continue;
      const spec = fields.find((f) => f.name === k);
      if (!spec) throw new EngineConnectionError(`${type} connections have no setting "${k}"`, `use ${fields.map((f) => f.name).join(', ')}`);
      if (spec.secret) secrets[k] = this.sealer().seal(String(v));
      else config[k] = String(v);
    }
    const missing = fields.filter((f) => f.required && !config[f.name]).map((f) => f.name);
    if (missing.length) throw new EngineConnectionError(`a ${type} connection needs ${missing.join(', ')}`);
    const now = this.clock.now();
    if (old) {
      this.db.prepare('UPDATE engine_connections SET config = ?, secrets = ?, updated_at = ? WHERE id = ?')
        .run(JSON.stringify(config), JSON.stringify(secrets), now, old.id);
    } else {
      this.db.prepare('INSERT INTO engine_connections (id, name, type, config, secrets, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(this.clock.newId(), name, type, JSON.stringify(config), JSON.stringify(secrets), now, now);
    }
    return this.get(name);
  }

  remove(name: string): void {
    this.row(name);
    this.db.prepare('DELETE FROM engine_connections WHERE name = ?').run(name);
  }

  /** Settings with secrets opened: for the moment the app talks to the engine, never for display. */
  resolve(name: string): { type: EngineType; [field: string]: string } {
    const row = this.row(name);
    const out: { type: EngineType; [field: string]: string } = { ...JSON.parse(row.config), type: row.type };
    for (const [k, sealed] of Object.entries(JSON.parse(row.secrets) as Record<string, string>)) out[k] = this.sealer().open(sealed);
    return out;
  }

  private find(name: string): Row | undefined {
    return this.db.prepare('SELECT * FROM engine_connections WHERE name = ?').get(name) as Row | undefined;
  }

  private row(name: string): Row {
    const row = this.find(name);
    if (!row) throw new EngineConnectionError(`no engine connection named "${name}"`, 'list them with aqueduct engines list');
    return row;
  }
}

function toInfo(r: Row): EngineConnectionInfo {
  const sealed = JSON.parse(r.secrets) as Record<string, string>;
  const secrets = Object.fromEntries(ENGINE_FIELDS[r.type].filter((f) => f.secret).map((f) => [flag(f.name), Boolean(sealed[f.name])]));
  return { id: r.id, name: r.name, type: r.type, config: JSON.parse(r.config), secrets, createdAt: r.created_at, updatedAt: r.updated_at };
}
