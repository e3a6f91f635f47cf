// Keeps remote runs flowing into the one history: the process that hosts the API (serve,
// the desktop runner) syncs every registered results folder on an interval and on demand.
// Each run a sync imports or updates is announced as a `run_finished` event, so open UIs
// (runs list, charts, check timelines) refresh exactly as they do for a local run.
// The folders live in the settings table (one JSON value): no schema change needed.
import fs from 'node:fs';
import path from 'node:path';
import type { EventBus } from '../exec/events.ts';
import type { MetadataStore } from '../store/metadata-store.ts';
import type { AppPaths } from '../store/paths.ts';
import { syncRunRecords, type SyncResult } from './sync.ts';

const SETTING = 'engines.resultsFolders';
export const DEFAULT_SYNC_INTERVAL_MS = 30_000;

export interface ResultsFolder {
  path: string;
  addedAt: number;
  lastSyncAt?: number;
  /** counts of the last sync of this folder, or why it failed */
  lastResult?: { imported: number; updated: number; unchanged: number; invalid: number };
  lastError?: string;
}

export interface SyncSummary {
  imported: number;
  updated: number;
  unchanged: number;
  invalid: { file: string; problem: string }[];
  /** per folder: what happened there */
  folders: ResultsFolder[];
  /** ids of the runs this sync imported or updated */
  runIds: string[];
}

export interface AutoSyncOptions {
  store: MetadataStore;
  paths: AppPaths;
  events: EventBus;
  intervalMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export class AutoSync {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly now: () => number;
  /** more work on the same interval: following the runs of deployed workflows */
  private readonly ticks: (() => Promise<void>)[] = [];

  constructor(private readonly o: AutoSyncOptions) {
    this.now = o.now ?? Date.now;
  }

  get intervalMs(): number {
    return this.o.intervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  folders(): ResultsFolder[] {
    const raw = this.o.store.getSetting(SETTING);
    if (!raw) return [];
    try {
      return JSON.parse(raw) as ResultsFolder[];
    } catch {
      return [];
    }
  }

  private save(list: ResultsFolder[]): void {
    this.o.store.setSetting(SETTING, JSON.stringify(list));
  }

  /** Registers a folder (absolute; created if missing, since an engine may not have written yet). */
  add(folder: string): ResultsFolder {
    const abs = path.resolve(folder);
    const list = this.folders();
    const found = list.find((f) => f.path === abs);
    if (found) return found;
    fs.mkdirSync(abs, { recursive: true });
    const entry: ResultsFolder = { path: abs, addedAt: this.now() };
    this.save([...list, entry]);
    return entry;
  }

  remove(folder: string): boolean {
    const abs = path.resolve(folder);
    const list = this.folders();
    const kept = list.filter((f) => f.path !== abs);
    this.save(kept);
    return kept.length !== list.length;
  }

  /** Syncs one registered folder, or all of them; a missing folder is reported on its entry, never thrown. */
  syncNow(folder?: string): SyncSummary {
    const abs = folder ? path.resolve(folder) : undefined;
    const list = this.folders();
    const out: SyncSummary = { imported: 0, updated: 0, unchanged: 0, invalid: [], folders: [], runIds: [] };
    const changed: string[] = [];
    for (const f of list) {
      if (abs && f.path !== abs) continue;
      let r: SyncResult;
      try {
        r = syncRunRecords(this.o.store, this.o.paths, f.path);
      } catch (e) {
        f.lastSyncAt = this.now();
        f.lastError = (e as Error).message;
        out.folders.push(f);
        continue;
      }
      f.lastSyncAt = this.now();
      f.lastError = undefined;
      f.lastResult = { imported: r.imported.length, updated: r.updated.length, unchanged: r.unchanged.length, invalid: r.invalid.length };
      out.imported += r.imported.length;
      out.updated += r.updated.length;
      out.unchanged += r.unchanged.length;
      out.invalid.push(...r.invalid);
      out.folders.push(f);
      changed.push(...[...r.imported, ...r.updated].map((x) => x.runId));
    }
    this.save(list);
    out.runIds = changed;
    for (const id of changed) {
      const run = this.o.store.getRunSummary(id);
      if (run) this.o.events.emit({ type: 'run_finished', run });
    }
    if (changed.length) this.o.log?.(`synced ${changed.length} remote run(s)`);
    return out;
  }

  /** Adds work done on every interval while started (and once right at the start). */
  onTick(work: () => Promise<void>): void {
    this.ticks.push(work);
    if (this.timer) this.runTicks();
  }

  private runTicks(): void {
    for (const work of this.ticks) work().catch((e: unknown) => this.o.log?.(`engine poll failed: ${(e as Error).message}`));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      try {
        this.syncNow();
      } catch (e) {
        this.o.log?.(`sync failed: ${(e as Error).message}`);
      }
      this.runTicks();
    }, this.intervalMs);
    this.timer.unref?.();
    this.runTicks();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
