// The scheduling lease: one row in SQLite says which process may schedule. The holder
// renews it every few seconds; anyone else stays passive until it expires, or until its
// process is gone (same host, dead pid), and then takes over. Every slot claim checks the
// lease inside its own transaction, so a holder that stalled past expiry cannot claim.
import os from 'node:os';
import type { Db } from '../store/db.ts';
import { pidAlive } from '../store/metadata-store.ts';
import { sql } from './statements.ts';

export interface LeaseRow {
  holderId: string;
  pid: number;
  host: string;
  acquiredAt: number;
  renewedAt: number;
  expiresAt: number;
}

export type LeaseOutcome =
  | { role: 'holder'; event: 'acquired' | 'renewed' | 'took_over'; previous?: LeaseRow; why?: string }
  | { role: 'passive'; holder: LeaseRow };

export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

export interface LeaseOptions {
  ttlMs: number;
  name?: string;
  isAlive?: (pid: number) => boolean;
  host?: string;
  pid?: number;
}

export class Lease {
  readonly holderId: string;
  readonly host: string;
  readonly pid: number;
  private readonly name: string;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly opts: LeaseOptions,
  ) {
    this.host = opts.host ?? os.hostname();
    this.pid = opts.pid ?? process.pid;
    this.name = opts.name ?? 'scheduler';
    this.holderId = `${this.host}:${this.pid}:${crypto.randomUUID().slice(0, 8)}`;
  }

  /** Acquires, renews or takes over the lease, or reports who holds it. One write transaction. */
  acquire(): LeaseOutcome {
    const run = this.db.transaction((): LeaseOutcome => {
      const now = this.now();
      const row = this.current();
      const expiresAt = now + this.opts.ttlMs;
      if (row && row.holderId === this.holderId) {
        sql(this.db, 'UPDATE scheduler_lease SET renewed_at = ?, expires_at = ? WHERE name = ?').run(now, expiresAt, this.name);
        return { role: 'holder', event: 'renewed' };
      }
      let why: string | undefined;
      if (row) {
        const dead = row.host === this.host && !(this.opts.isAlive ?? pidAlive)(row.pid);
        if (!dead && row.expiresAt > now) return { role: 'passive', holder: row };
        why = dead ? `its process ${row.pid} is gone` : `its lease expired ${now - row.expiresAt} ms ago`;
      }
      sql(this.db, `INSERT INTO scheduler_lease (name, holder_id, pid, host, acquired_at, renewed_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET holder_id = excluded.holder_id, pid = excluded.pid, host = excluded.host,
             acquired_at = excluded.acquired_at, renewed_at = excluded.renewed_at, expires_at = excluded.expires_at`)
        .run(this.name, this.holderId, this.pid, this.host, now, now, expiresAt);
      return row ? { role: 'holder', event: 'took_over', previous: row, why } : { role: 'holder', event: 'acquired' };
    });
    return run.immediate();
  }

  /** Throws unless this process holds an unexpired lease; call inside a write transaction. */
  assertHeld(): void {
    const row = this.current();
    if (!row || row.holderId !== this.holderId || row.expiresAt <= this.now()) {
      throw new LeaseLostError(row && row.holderId !== this.holderId ? `the lease is now held by ${row.holderId}` : 'the lease expired');
    }
  }

  holds(): boolean {
    try {
      this.assertHeld();
      return true;
    } catch {
      return false;
    }
  }

  current(): LeaseRow | undefined {
    const r = sql(this.db, 'SELECT * FROM scheduler_lease WHERE name = ?').get(this.name) as Record<string, unknown> | undefined;
    if (!r) return undefined;
    return {
      holderId: String(r.holder_id),
      pid: Number(r.pid),
      host: String(r.host),
      acquiredAt: Number(r.acquired_at),
      renewedAt: Number(r.renewed_at),
      expiresAt: Number(r.expires_at),
    };
  }

  /** Gives the lease up so a passive process can take over at once. */
  release(): void {
    sql(this.db, 'DELETE FROM scheduler_lease WHERE name = ? AND holder_id = ?').run(this.name, this.holderId);
  }
}
