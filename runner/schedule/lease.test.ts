// The lease and the slot constraint on a real SQLite built from the real migrations.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../store/db.ts';
import { Lease, LeaseLostError } from './lease.ts';

function setup() {
  const db = openDatabase(':memory:');
  let t = 1_000_000;
  const now = () => t;
  const advance = (ms: number) => (t += ms);
  return { db, now, advance };
}

describe('scheduler lease', () => {
  it('one holder; the other is passive until the lease expires, then takes over', () => {
    const { db, now, advance } = setup();
    const alive = () => true; // pids 101 and 102 stand for live processes
    const a = new Lease(db, now, { ttlMs: 30_000, pid: 101, isAlive: alive });
    const b = new Lease(db, now, { ttlMs: 30_000, pid: 102, isAlive: alive });
    expect(a.acquire()).toEqual({ role: 'holder', event: 'acquired' });
    expect(b.acquire()).toMatchObject({ role: 'passive', holder: { pid: 101, expiresAt: now() + 30_000 } });
    advance(10_000);
    expect(a.acquire()).toEqual({ role: 'holder', event: 'renewed' });
    advance(29_000);
    expect(b.acquire().role).toBe('passive');
    advance(2_000); // a stalled past expiry
    expect(b.acquire()).toMatchObject({ role: 'holder', event: 'took_over', previous: { pid: 101 }, why: 'its lease expired 1000 ms ago' });
    expect(() => a.assertHeld()).toThrow(LeaseLostError);
    expect(a.acquire().role).toBe('passive');
  });

  it('takes over at once from a holder on this host whose process is gone', () => {
    const { db, now } = setup();
    const dead = new Lease(db, now, { ttlMs: 30_000, pid: 201, host: 'box' });
    dead.acquire();
    const next = new Lease(db, now, { ttlMs: 30_000, pid: 202, host: 'box', isAlive: (pid) => pid !== 201 });
    expect(next.acquire()).toMatchObject({ role: 'holder', event: 'took_over', why: 'its process 201 is gone' });
  });

  it('released: the next process takes it without waiting', () => {
    const { db, now } = setup();
    const a = new Lease(db, now, { ttlMs: 30_000, pid: 301 });
    a.acquire();
    a.release();
    expect(new Lease(db, now, { ttlMs: 30_000, pid: 302 }).acquire()).toEqual({ role: 'holder', event: 'acquired' });
  });

  it('a slot can be claimed once: UNIQUE(schedule_id, slot_time)', () => {
    const { db } = setup();
    db.prepare("INSERT INTO workflows (id, folder, name, created_at, updated_at) VALUES ('w', '/w', 'W', 0, 0)").run();
    db.prepare("INSERT INTO schedules (id, workflow_id, cron, timezone, cursor_at, created_at, updated_at) VALUES ('s', 'w', '0 * * * *', 'UTC', 0, 0, 0)").run();
    const claim = db.prepare("INSERT INTO schedule_slots (id, schedule_id, workflow_id, slot_time, decision, reason, claimed_by, decided_at) VALUES (?, 's', 'w', 3600000, 'ran', 'on time', ?, 0)");
    claim.run('slot-1', 'holder-a');
    expect(() => claim.run('slot-2', 'holder-b')).toThrow(/UNIQUE constraint failed: schedule_slots.schedule_id, schedule_slots.slot_time/);
  });
});
