// Read-only keys for the output endpoints, separate from the app's admin token: each key
// reads one output of one workflow (or every output it serves), is shown once when it is
// made, and is kept only as a SHA-256 hash of its secret part (the secret is 32 random
// bytes, so a fast hash is enough). Keys are listed and revoked, never shown again.
import crypto from 'node:crypto';
import type { Db } from '../store/db.ts';
import { systemClock, type StoreClock } from '../store/metadata-store.ts';

export interface EndpointKeyInfo {
  id: string;
  workflowId: string;
  workflowName?: string;
  /** one output, or undefined for every output the workflow serves */
  output?: string;
  label: string;
  createdAt: number;
  lastUsedAt?: number;
  revokedAt?: number;
}

export interface VerifiedKey {
  id: string;
  workflowId: string;
  output?: string;
}

export class EndpointKeyError extends Error {
  constructor(message: string, readonly fix?: string) {
    super(message);
    this.name = 'EndpointKeyError';
  }
}

const KEY = /^aqk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
/** last_used_at is written at most this often per key, so a busy endpoint does not write on every request */
const TOUCH_MS = 60_000;

const hashOf = (secret: string) => crypto.createHash('sha256').update(secret).digest('hex');

interface Row {
  id: string;
  workflow_id: string;
  workflow_name?: string;
  output: string | null;
  label: string;
  secret_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export class EndpointKeys {
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly clock: StoreClock = systemClock,
  ) {}

  /** Makes a key; the returned `key` is the only time it is seen. */
  create(workflowId: string, output: string | undefined, label: string): { key: string; info: EndpointKeyInfo } {
    if (!this.db.prepare('SELECT 1 FROM workflows WHERE id = ?').get(workflowId)) throw new EndpointKeyError(`no workflow ${workflowId}`, 'list the workflows to find its id');
    const id = crypto.randomBytes(8).toString('hex');
    const secret = crypto.randomBytes(32).toString('base64url');
    const name = label.trim() || `key ${id.slice(0, 6)}`;
    this.db
      .prepare('INSERT INTO endpoint_keys (id, workflow_id, output, label, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, workflowId, output ?? null, name, hashOf(secret), this.clock.now());
    return { key: `aqk_${id}_${secret}`, info: this.get(id)! };
  }

  list(workflowId?: string): EndpointKeyInfo[] {
    const rows = this.db
      .prepare(`SELECT k.*, w.name AS workflow_name FROM endpoint_keys k JOIN workflows w ON w.id = k.workflow_id ${workflowId ? 'WHERE k.workflow_id = ?' : ''} ORDER BY k.created_at DESC, k.id`)
      .all(...(workflowId ? [workflowId] : [])) as Row[];
    return rows.map(toInfo);
  }

  get(id: string): EndpointKeyInfo | undefined {
    const r = this.db.prepare('SELECT k.*, w.name AS workflow_name FROM endpoint_keys k JOIN workflows w ON w.id = k.workflow_id WHERE k.id = ?').get(id) as Row | undefined;
    return r && toInfo(r);
  }

  /** Revokes a key by its id (or a unique prefix of it); revoking twice is fine. */
  revoke(idOrPrefix: string): EndpointKeyInfo {
    const rows = this.db.prepare('SELECT id FROM endpoint_keys WHERE id LIKE ? LIMIT 2').all(`${idOrPrefix.replace(/^aqk_/, '').replace(/[%_]/g, '')}%`) as { id: string }[];
    if (rows.length !== 1) throw new EndpointKeyError(rows.length ? `"${idOrPrefix}" names more than one key` : `no endpoint key "${idOrPrefix}"`, 'list the keys (aqueduct endpoints keys list) and give its id');
    this.db.prepare('UPDATE endpoint_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(this.clock.now(), rows[0]!.id);
    return this.get(rows[0]!.id)!;
  }

  /** The key's scope when `given` is a live key, else undefined. */
  verify(given: string): VerifiedKey | undefined {
    const m = KEY.exec(given.trim());
    if (!m) return undefined;
    const r = this.db.prepare('SELECT id, workflow_id, output, secret_hash, revoked_at FROM endpoint_keys WHERE id = ?').get(m[1]) as Row | undefined;
    if (!r || r.revoked_at !== null) return undefined;
    const a = Buffer.from(hashOf(m[2]!), 'hex');
    const b = Buffer.from(r.secret_hash, 'hex');
    if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return undefined;
    const now = this.clock.now();
    if (now - (this.touched.get(r.id) ?? 0) > TOUCH_MS) {
      this.touched.set(r.id, now);
      this.db.prepare('UPDATE endpoint_keys SET last_used_at = ? WHERE id = ?').run(now, r.id);
    }
    return { id: r.id, workflowId: r.workflow_id, output: r.output ?? undefined };
  }
}

function toInfo(r: Row): EndpointKeyInfo {
  return {
    id: r.id,
    workflowId: r.workflow_id,
    workflowName: r.workflow_name,
    output: r.output ?? undefined,
    label: r.label,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at ?? undefined,
    revokedAt: r.revoked_at ?? undefined,
  };
}
