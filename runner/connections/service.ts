// The connection service: named connections saved in the metadata store, each secret
// sealed by the SecretBox before it is written and opened only when a run (or "test
// connection") needs it. What it hands to the UI and CLI never holds a secret: only
// `hasPassword`-style flags. Editing without a new secret keeps the old one, but only while
// the connection points at the same server (host, port, account, endpoint): a saved secret
// is never sent anywhere else. Deleting a connection a workflow still uses is refused with
// the list of those workflows.
import type { ConnectionConfig } from '../connectors/types.ts';
import type { Db } from '../store/db.ts';
import { systemClock, type StoreClock } from '../store/metadata-store.ts';
import { loadSecretBox, type SecretBox } from '../secrets/secret-box.ts';
import { probeConnection } from './probe.ts';
import { connectionUsages } from './usages.ts';
import {
  CONNECTION_TYPES, ConnectionError, ConnectionMissingError, connectionType, secretFields, secretFlag,
  type ConnectionInfo, type ConnectionInput, type ConnectionTestResult, type ConnectionTypeSpec, type ConnectionUsage, type FieldSpec,
} from './types.ts';

interface Row {
  id: string;
  name: string;
  type: string;
  config: string;
  secrets: string;
  created_at: number;
  updated_at: number;
  tested_at: number | null;
  test_ok: number | null;
  test_message: string | null;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export class ConnectionService {
  private box: SecretBox | undefined;

  constructor(
    private readonly db: Db,
    private readonly home: string,
    private readonly clock: StoreClock = systemClock,
  ) {}

  /** The key is read (or made) on first need, so listing never touches it. */
  private secrets(): SecretBox {
    this.box ??= loadSecretBox(this.home);
    return this.box;
  }

  list(): ConnectionInfo[] {
    return (this.db.prepare('SELECT * FROM connections ORDER BY name COLLATE NOCASE').all() as Row[]).map(toInfo);
  }

  get(name: string): ConnectionInfo {
    return toInfo(this.row(name));
  }

  create(input: ConnectionInput): ConnectionInfo {
    const name = String(input.name ?? '').trim();
    if (!NAME.test(name)) throw new ConnectionError(`"${name}" is not a valid connection name`, 'use letters, digits, _, - or . (up to 64), starting with a letter or digit');
    const spec = specOf(String(input.type ?? ''));
    if (this.find(name)) throw new ConnectionError(`a connection named "${name}" already exists`, `pick another name, or edit it (aqueduct connections add --replace)`);
    const { config, secrets } = this.split(spec, input, {}, {});
    missingRequired(spec, config, secrets);
    const now = this.clock.now();
    const id = this.clock.newId();
    this.db
      .prepare('INSERT INTO connections (id, name, type, config, secrets, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, name, spec.type, JSON.stringify(config), JSON.stringify(secrets), now, now);
    return this.get(name);
  }

  /**
   * Changes some settings. A secret left out (or empty) keeps its saved value; list it in
   * `clear` to remove it. Renaming is refused while workflows refer to the old name.
   */
  update(name: string, patch: Partial<ConnectionInput>, clear: string[] = []): ConnectionInfo {
    const row = this.row(name);
    const spec = specOf(patch.type ? String(patch.type) : row.type);
    if (spec.type !== row.type) throw new ConnectionError(`cannot change the type of "${name}" (${row.type})`, 'create a new connection of the other type');
    const newName = patch.name === undefined ? name : String(patch.name).trim();
    if (newName !== name) {
      if (!NAME.test(newName)) throw new ConnectionError(`"${newName}" is not a valid connection name`, 'use letters, digits, _, - or .');
      if (this.find(newName)) throw new ConnectionError(`a connection named "${newName}" already exists`, 'pick another name');
      const users = this.usages(name);
      if (users.length) throw new ConnectionError(`cannot rename "${name}": ${describeUsers(users)} use it`, 'change those workflows first, or create a new connection', users);
    }
    const before = { config: JSON.parse(row.config) as Record<string, unknown>, secrets: JSON.parse(row.secrets) as Record<string, string> };
    const { config, secrets } = this.split(spec, { ...patch, name: newName, type: spec.type }, { ...before.config }, { ...before.secrets });
    for (const field of clear) delete secrets[field];
    const moved = movedEndpoint(spec, before.config, config);
    const stale = spec.fields.filter((f) => f.kind === 'secret' && secrets[f.name] !== undefined && secrets[f.name] === before.secrets[f.name]);
    if (moved.length && stale.length) {
      throw new ConnectionError(`the ${labels(moved)} of "${name}" changed: enter the ${labels(stale)} again`, SECRET_STAYS);
    }
    missingRequired(spec, config, secrets);
    this.db
      .prepare('UPDATE connections SET name = ?, config = ?, secrets = ?, updated_at = ?, tested_at = NULL, test_ok = NULL, test_message = NULL WHERE id = ?')
      .run(newName, JSON.stringify(config), JSON.stringify(secrets), this.clock.now(), row.id);
    return this.get(newName);
  }

  /** Workflows (and their nodes) that read or publish through the connection. */
  usages(name: string): ConnectionUsage[] {
    return connectionUsages(this.db, name);
  }

  remove(name: string): void {
    const row = this.row(name);
    const users = this.usages(name);
    if (users.length) {
      throw new ConnectionError(`connection "${name}" is used by ${describeUsers(users)}`, 'remove or change those nodes first, then delete the connection', users);
    }
    this.db.prepare('DELETE FROM connections WHERE id = ?').run(row.id);
  }

  /** The full settings, secrets opened: for drivers only, never for display. */
  async resolve(name: string): Promise<ConnectionConfig> {
    const row = this.find(name);
    if (!row) throw new ConnectionMissingError(name);
    const box = this.secrets();
    const opened = Object.fromEntries(Object.entries(JSON.parse(row.secrets) as Record<string, string>).map(([k, v]) => [k, box.open(v)]));
    return { ...(JSON.parse(row.config) as Record<string, unknown>), ...opened, type: row.type };
  }

  /**
   * Tests a form's values before they are saved. With the name of a saved connection of the
   * same type, its secrets fill the fields left empty, but only while the form still points
   * at the server they were saved for; otherwise the answer asks for them again.
   */
  async testDraft(draft: ConnectionInput, savedName?: string): Promise<ConnectionTestResult> {
    const row = savedName ? this.find(savedName) : undefined;
    const spec = specOf(String(draft.type ?? ''));
    if (!row || row.type !== spec.type) return this.test(draft);
    const savedConfig = JSON.parse(row.config) as Record<string, unknown>;
    const { config } = this.split(spec, Object.fromEntries(Object.entries(draft).filter(([k]) => !secretFields(spec.type).includes(k))), {}, {});
    const moved = movedEndpoint(spec, savedConfig, config);
    const missing = spec.fields.filter((f) => f.kind === 'secret' && f.name in (JSON.parse(row.secrets) as object) && (draft[f.name] === undefined || draft[f.name] === ''));
    if (moved.length && missing.length) {
      return { ok: false, problem: 'config', message: `the ${labels(moved)} changed: enter the ${labels(missing)} again to test against the new server`, fix: SECRET_STAYS, ms: 0 };
    }
    const saved = await this.resolve(row.name);
    const given = Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== undefined && v !== ''));
    return this.test({ ...saved, ...given, name: row.name, type: spec.type } as ConnectionInput);
  }

  /** Tests a saved connection (by name) and remembers the answer, or tests unsaved settings. */
  async test(target: string | ConnectionInput): Promise<ConnectionTestResult> {
    if (typeof target !== 'string') {
      const spec = specOf(String(target.type ?? ''));
      const { config } = this.split(spec, target, {}, {});
      const plain = Object.fromEntries(spec.fields.filter((f) => f.kind === 'secret' && typeof target[f.name] === 'string').map((f) => [f.name, target[f.name]]));
      return redact(await probeConnection({ ...config, ...plain, type: spec.type }), Object.values(plain) as string[]);
    }
    const cfg = await this.resolve(target);
    const values = secretFields(cfg.type).map((f) => cfg[f]).filter((v): v is string => typeof v === 'string');
    const result = redact(await probeConnection(cfg), values);
    this.db
      .prepare('UPDATE connections SET tested_at = ?, test_ok = ?, test_message = ? WHERE name = ?')
      .run(this.clock.now(), result.ok ? 1 : 0, result.message, target);
    return result;
  }

  private find(name: string): Row | undefined {
    return this.db.prepare('SELECT * FROM connections WHERE name = ?').get(name) as Row | undefined;
  }

  private row(name: string): Row {
    const row = this.find(name);
    if (!row) throw new ConnectionError(`no connection named "${name}"`, 'list them with aqueduct connections list');
    return row;
  }

  /** Sorts input fields into plain settings and sealed secrets, merged over the old ones. */
  private split(spec: ConnectionTypeSpec, input: Partial<ConnectionInput>, config: Record<string, unknown>, secrets: Record<string, string>) {
    const known = new Map(spec.fields.map((f) => [f.name, f]));
    for (const [key, value] of Object.entries(input)) {
      if (key === 'name' || key === 'type' || value === undefined) continue;
      const field = known.get(key);
      if (!field) throw new ConnectionError(`"${key}" is not a setting of ${spec.label} connections`, `use: ${[...known.keys()].join(', ')}`);
      if (field.kind === 'secret') {
        const text = typeof value === 'string' ? value : value === null ? '' : JSON.stringify(value);
        if (text !== '') secrets[key] = this.secrets().seal(text);
      } else if (value === null || value === '') {
        delete config[key];
      } else if (field.kind === 'number') {
        const n = Number(value);
        if (!Number.isFinite(n)) throw new ConnectionError(`${key} must be a number, not "${String(value)}"`);
        config[key] = n;
      } else if (field.kind === 'boolean') {
        config[key] = value === true || value === 'true' || value === '1' || value === 1;
      } else {
        config[key] = String(value);
      }
    }
    return { config, secrets };
  }
}

const SECRET_STAYS = 'a saved secret is only ever sent to the server it was saved for';

/** The endpoint fields (where secrets go) whose value differs, defaults applied. */
function movedEndpoint(spec: ConnectionTypeSpec, before: Record<string, unknown>, after: Record<string, unknown>): FieldSpec[] {
  const value = (f: FieldSpec, c: Record<string, unknown>) => String(c[f.name] ?? f.default ?? '').trim().toLowerCase();
  return spec.fields.filter((f) => f.endpoint && value(f, before) !== value(f, after));
}

function labels(fields: FieldSpec[]): string {
  return fields.map((f) => f.label.toLowerCase()).join(' and ');
}

function specOf(type: string): ConnectionTypeSpec {
  const spec = connectionType(type);
  if (!spec) throw new ConnectionError(`unknown connection type "${type}"`, `use ${CONNECTION_TYPES.map((c) => c.type).join(', ')}`);
  return spec;
}

function missingRequired(spec: ConnectionTypeSpec, config: Record<string, unknown>, secrets: Record<string, string>): void {
  if (spec.type === 'postgres' && secrets['connectionString']) return;
  const missing = spec.fields.filter((f) => f.required && config[f.name] === undefined && secrets[f.name] === undefined && f.default === undefined);
  if (missing.length) throw new ConnectionError(`a ${spec.label} connection needs ${missing.map((f) => f.name).join(', ')}`, `give ${missing.map((f) => `--${f.name}`).join(' ')}`);
}

function toInfo(row: Row): ConnectionInfo {
  const sealed = JSON.parse(row.secrets) as Record<string, string>;
  const flags = Object.fromEntries(secretFields(row.type).map((f) => [secretFlag(f), f in sealed])) as ConnectionInfo['secrets'];
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    config: JSON.parse(row.config),
    secrets: flags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastTest: row.tested_at === null ? undefined : { at: row.tested_at, ok: row.test_ok === 1, message: row.test_message ?? '' },
  };
}

function describeUsers(users: ConnectionUsage[]): string {
  return users.map((u) => `${u.workflowName} (${u.nodes.join(', ')})`).join('; ');
}

/** A driver's message could echo a secret back (a connection URL, say): never pass it on. */
function redact(r: ConnectionTestResult, secrets: string[]): ConnectionTestResult {
  const hide = (s: string | undefined) => secrets.filter((x) => x.length >= 4).reduce((acc, x) => (acc ? acc.split(x).join('***') : acc), s);
  return { ...r, message: hide(r.message) ?? '', fix: hide(r.fix) };
}

/** What Engine.open uses by default: resolve names through the store's connections. */
export function connectionResolver(db: Db, home: string): (name: string) => Promise<ConnectionConfig> {
  const service = new ConnectionService(db, home);
  return (name) => service.resolve(name);
}
