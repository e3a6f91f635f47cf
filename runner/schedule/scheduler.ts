// The scheduler service. It lives in any process that hosts an Engine (the desktop app,
// `aqueduct serve`, `aqueduct scheduler`); all of them may run one, and the lease picks
// the single one that schedules while the others wait passively to take over.
// A tick: hold the lease, decide every due slot (claim = INSERT under UNIQUE, in a
// transaction that re-checks the lease), start waiting slots (the run is created in the
// same transaction that marks the slot started), then follow up finished runs. Time
// comes from an injectable clock, so tests walk weeks of slots without sleeping.
import os from 'node:os';
import type { StartedRun } from '../engine.ts';
import type { Notifier } from '../notify/notifier.ts';
import { pidAlive } from '../store/metadata-store.ts';
import type { Row } from '../store/rows.ts';
import { CascadeStore } from './cascades.ts';
import { systemSchedulerClock, type SchedulerClock, type TimerHandle } from './clock.ts';
import { compileCron, nextSlot, type CompiledCron } from './cron.ts';
import { FileScheduleWatcher } from './file-sync.ts';
import { Followups } from './followups.ts';
import type { SchedulerHost } from './host.ts';
import { Lease, LeaseLostError } from './lease.ts';
import { Retention } from './retention.ts';
import { mapSchedule, ScheduleStore, watchScheduleChanges } from './schedule-store.ts';
import { SlotKeeper } from './slot-keeper.ts';
import type { SchedulerStatus, SlotRecord } from './types.ts';
import { sql } from './statements.ts';

export interface SchedulerOptions {
  clock?: SchedulerClock;
  /** how long the lease lasts without renewal (default 30 s) */
  leaseTtlMs?: number;
  /** how often the holder renews and a passive process checks (default 10 s); also the follow-up polling period */
  renewEveryMs?: number;
  /** how late the latest slot may be and still run as "on time" (default 5 min) */
  graceMs?: number;
  /** catch-up "each" runs at most this many missed slots (default 50) */
  maxCatchup?: number;
  /** how often workflow files are checked for schedule edits (default 60 s; 0: never) */
  fileSyncEveryMs?: number;
  /** how far back a new holder looks for finished runs to follow up (default 24 h) */
  followupWindowMs?: number;
  desktopWindowMs?: number;
  notifier?: Notifier;
  log?: (line: string) => void;
  isAlive?: (pid: number) => boolean;
}

export interface TickReport {
  role: 'holder' | 'passive';
  decided: SlotRecord[];
  started: StartedRun[];
  /** set when the tick failed for another reason than losing the lease */
  error?: string;
}

interface Entry {
  updatedAt: number;
  compiled: CompiledCron;
  nextDue: number;
}

export class Scheduler {
  readonly lease: Lease;
  readonly schedules: ScheduleStore;
  readonly cascades: CascadeStore;
  readonly retention: Retention;
  private readonly clock: SchedulerClock;
  private readonly o: Required<Omit<SchedulerOptions, 'clock' | 'notifier' | 'log' | 'isAlive'>>;
  private readonly log: (line: string) => void;
  private readonly isAlive: (pid: number) => boolean;
  private readonly followups: Followups;
  private readonly slots: SlotKeeper;
  private readonly files: FileScheduleWatcher;
  private entries = new Map<string, Entry>();
  private revision = -1;
  private lastFileSync = -Infinity;
  private role: SchedulerStatus['role'] = 'stopped';
  private running = false;
  private stopped = false;
  private timer: TimerHandle | undefined;
  private tickChain: Promise<TickReport> | undefined;
  private kicked: Promise<void> | undefined;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly slotListeners = new Set<(s: SlotRecord) => void>();
  private unsubscribe: (() => void) | undefined;
  private report: TickReport | undefined;

  constructor(
    private readonly host: SchedulerHost,
    opts: SchedulerOptions = {},
  ) {
    const store = host.store;
    this.clock = opts.clock ?? systemSchedulerClock;
    this.log = opts.log ?? ((line) => console.log(`[scheduler ${new Date(this.clock.now()).toISOString()}] ${line}`));
    this.isAlive = opts.isAlive ?? pidAlive;
    this.o = {
      leaseTtlMs: opts.leaseTtlMs ?? 30_000,
      renewEveryMs: opts.renewEveryMs ?? 10_000,
      graceMs: opts.graceMs ?? 5 * 60_000,
      maxCatchup: opts.maxCatchup ?? 50,
      fileSyncEveryMs: opts.fileSyncEveryMs ?? 60_000,
      followupWindowMs: opts.followupWindowMs ?? 24 * 3600_000,
      desktopWindowMs: opts.desktopWindowMs ?? 10 * 60_000,
    };
    const now = () => this.clock.now();
    this.lease = new Lease(store.db, now, { ttlMs: this.o.leaseTtlMs, isAlive: this.isAlive });
    this.schedules = new ScheduleStore(store.db, now, () => store.clock.newId());
    this.cascades = new CascadeStore(store.db, now, () => store.clock.newId());
    this.retention = new Retention(store, host.paths);
    this.files = new FileScheduleWatcher(store, this.log);
    this.slots = new SlotKeeper({
      host, lease: this.lease, now, graceMs: this.o.graceMs, maxCatchup: this.o.maxCatchup, isAlive: this.isAlive, log: this.log,
      onStarted: (run) => this.onStarted(run),
      onSlot: (rec, decided) => this.emitSlot(rec, decided ? this.report : undefined),
    });
    this.followups = new Followups({
      host, lease: this.lease, cascades: this.cascades, retention: this.retention, notifier: opts.notifier, now, log: this.log,
      windowMs: this.o.followupWindowMs, desktopWindowMs: this.o.desktopWindowMs,
      track: (p) => this.track(p),
      onStarted: (run) => this.onStarted(run),
    });
  }

  /** Starts ticking on the clock; finished runs and schedule edits in this process wake it at once. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    const offRuns = this.host.events.on((e) => {
      if (e.type === 'run_finished') this.kick();
    });
    const offSchedules = watchScheduleChanges(this.host.store.db, () => this.kick());
    this.unsubscribe = () => (offRuns(), offSchedules());
    void this.tick();
  }

  /** Stops ticking and gives the lease up so another process takes over at once. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.unsubscribe?.();
    await this.tickChain?.catch(() => {});
    if (this.role === 'holder') this.lease.release();
    this.role = 'stopped';
  }

  status(): SchedulerStatus {
    const l = this.lease.current();
    return { role: this.role, holderId: l?.holderId, holderPid: l?.pid, holderHost: l?.host, leaseExpiresAt: l?.expiresAt };
  }

  onSlot(listener: (s: SlotRecord) => void): () => void {
    this.slotListeners.add(listener);
    return () => this.slotListeners.delete(listener);
  }

  /** One pass; ticks never overlap (a call waits for the one in progress). */
  tick(): Promise<TickReport> {
    const run = (this.tickChain ?? Promise.resolve()).catch(() => undefined).then(() => this.tickOnce());
    this.tickChain = run;
    void run.finally(() => {
      if (this.tickChain === run) this.tickChain = undefined;
      this.arm();
    }).catch(() => {});
    return run;
  }

  /** Resolves when no tick, run start, run or notification this scheduler began is still going. */
  async idle(): Promise<void> {
    for (;;) {
      const pending = [...this.inflight, this.tickChain, this.kicked].filter((p): p is Promise<unknown> => p !== undefined);
      if (pending.length === 0) return;
      await Promise.allSettled(pending);
    }
  }

  private kick(): void {
    if (!this.running || this.kicked) return;
    this.kicked = new Promise((resolve) =>
      setImmediate(() => {
        this.kicked = undefined;
        if (!this.running) return resolve();
        void this.tick().finally(resolve).catch(() => {});
      }),
    );
  }

  private arm(): void {
    if (!this.running) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    const now = this.clock.now();
    let next = now + this.o.renewEveryMs;
    if (this.role === 'holder') for (const e of this.entries.values()) if (e.nextDue < next) next = e.nextDue;
    this.timer = this.clock.setTimer(Math.max(0, next - now), () => this.tick().then(() => undefined));
  }

  private async tickOnce(): Promise<TickReport> {
    const report: TickReport = { role: 'passive', decided: [], started: [] };
    if (this.stopped) return report;
    this.report = report;
    try {
      const outcome = this.lease.acquire();
      if (outcome.role === 'passive') {
        if (this.role !== 'passive') {
          const h = outcome.holder;
          this.log(`passive: the scheduler in pid ${h.pid} on ${h.host} holds the lease until ${new Date(h.expiresAt).toISOString()}; this process takes over if it stops`);
          this.followups.reset();
          this.entries.clear();
          this.revision = -1;
        }
        this.role = 'passive';
        await this.followups.run('passive');
        return report;
      }
      if (this.role !== 'holder') this.becomeHolder(outcome.event, outcome.event === 'took_over' ? `${outcome.previous?.pid} on ${outcome.previous?.host} (${outcome.why})` : undefined);
      report.role = 'holder';
      const now = this.clock.now();
      if (this.o.fileSyncEveryMs > 0 && now - this.lastFileSync >= this.o.fileSyncEveryMs) {
        this.lastFileSync = now;
        this.files.syncAll();
      }
      this.reload();
      this.decideDue(now);
      await this.slots.startWaiting();
      await this.followups.run('holder');
    } catch (e) {
      if (e instanceof LeaseLostError) {
        this.log(`lost the lease (${e.message}); passive from now on`);
        this.role = 'passive';
        report.role = 'passive';
      } else {
        // e.g. the database stayed locked past the busy timeout, or the disk is full: the
        // next tick tries again, and nothing was claimed half-way (each step is one transaction)
        report.error = (e as Error).message;
        this.log(`tick failed: ${(e as Error).stack ?? String(e)}`);
      }
    } finally {
      this.report = undefined;
    }
    return report;
  }

  private becomeHolder(event: string, from?: string): void {
    this.log(event === 'took_over' ? `took the lease over from pid ${from}; scheduling in pid ${process.pid} on ${os.hostname()}` : `holding the lease; scheduling in pid ${process.pid} on ${os.hostname()}`);
    this.role = 'holder';
    this.entries.clear();
    this.revision = -1;
    this.lastFileSync = -Infinity;
    this.followups.reset();
    const interrupted = this.host.store.interruptOrphanedRuns(this.isAlive);
    for (const r of interrupted) this.log(`run ${r.id.slice(0, 8)} of ${r.workflowName} was interrupted (its process is gone)`);
    const trimmed = this.retention.applyAll();
    if (trimmed.deleted.length) this.log(`retention: deleted the output of ${trimmed.deleted.length} old run(s), ${trimmed.bytesFreed} bytes`);
  }

  private decideDue(now: number): void {
    const due = [...this.entries].filter(([, e]) => e.nextDue <= now).map(([id, e]) => ({ id, compiled: e.compiled }));
    if (due.length === 0) return;
    for (const r of this.slots.decideDue(due)) {
      const entry = this.entries.get(r.id);
      if (!entry) continue;
      entry.nextDue = r.inactive ? Infinity : (nextSlot(entry.compiled, r.cursor) ?? Infinity);
    }
  }

  /** Reloads the timetable when a schedule changed (the revision moved). */
  private reload(): void {
    const rev = this.schedules.revision();
    if (rev === this.revision) return;
    this.revision = rev;
    const next = new Map<string, Entry>();
    for (const row of sql(this.host.store.db, 'SELECT * FROM schedules').all() as Row[]) {
      const s = mapSchedule(row);
      const old = this.entries.get(s.id);
      if (old && old.updatedAt === s.updatedAt) {
        next.set(s.id, old);
        continue;
      }
      try {
        const compiled = compileCron(s.cron, s.timezone);
        next.set(s.id, { updatedAt: s.updatedAt, compiled, nextDue: s.paused ? Infinity : (nextSlot(compiled, s.cursorAt) ?? Infinity) });
      } catch (e) {
        this.log(`schedule ${s.id} ignored: ${(e as Error).message}`);
      }
    }
    this.entries = next;
  }

  private onStarted(run: StartedRun): void {
    if (this.report && !this.report.started.includes(run)) this.report.started.push(run);
    this.track(run.done.finally(() => this.kick()));
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch(() => {}).finally(() => this.inflight.delete(q));
    this.inflight.add(q);
  }

  private emitSlot(rec: SlotRecord, report: TickReport | undefined): void {
    report?.decided.push(rec);
    for (const l of [...this.slotListeners]) {
      try {
        l(rec);
      } catch (e) {
        this.log(`slot listener failed: ${(e as Error).message}`);
      }
    }
  }
}
