// Why: the publishes of one run are staged first and committed together (see the README,
// "all or nothing"). The staging area is what they share while staged: a ledger of the
// temp files and database files they are changing (saved in the store, so a killed run
// can be cleaned up by the next one), the newest staged version of a file that a later
// publish of the same file builds on, one open database per file, and a queue per file
// so two publishes never change one file at the same time.
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** A staged temp file's name: hidden, beside its target, `.name.aq-<8 hex>.tmp`. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.aq-${randomBytes(4).toString('hex')}.tmp`);
}

/** True for names tempPathFor gives (the cleanup removes nothing else). */
export function isTempName(name: string): boolean {
  return /^\..+\.aq-[0-9a-f]{8}\.tmp$/.test(name);
}

/** Kinds of leftovers a killed publish can leave: a temp file, or a SQLite rollback journal. */
export type StagedKind = 'file' | 'sqlite';

export interface StagingLedger {
  /** called before the path is created or changed, so a crash can be cleaned up */
  record(path: string, kind: StagedKind): void;
  /** called once the path is committed or discarded */
  release(path: string): void;
}

const NO_LEDGER: StagingLedger = { record: () => undefined, release: () => undefined };

/** A resource publishes of one file share (an open database); closed by its last user. */
export interface Shared {
  /** ends the resource: commit (true) or roll back (false); only the first call acts */
  end(commit: boolean): Promise<void>;
}

export class StagingArea {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly newest = new Map<string, string>();
  private readonly shared = new Map<string, Promise<Shared>>();

  constructor(readonly ledger: StagingLedger = NO_LEDGER) {}

  /** Runs `fn` after every earlier `serial` call of the same key has settled. */
  serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.queues.get(key) ?? Promise.resolve();
    const mine = before.then(fn, fn);
    this.queues.set(key, mine.catch(() => undefined));
    return mine;
  }

  /** The newest staged (not yet committed) version of `target`, if a publish of this run staged one. */
  staged(target: string): string | undefined {
    return this.newest.get(target);
  }

  setStaged(target: string, tmp: string): void {
    this.newest.set(target, tmp);
  }

  /** Ends every shared resource still open, rolling back: after a failed stage nobody else will. */
  async endAll(): Promise<void> {
    const all = [...this.shared.values()];
    this.shared.clear();
    for (const p of all) {
      const r = await p.catch(() => undefined);
      await r?.end(false).catch(() => undefined);
    }
  }

  /** One resource per key (a database file), opened by the first publish that needs it. */
  async open<T extends Shared>(key: string, opener: () => Promise<T>): Promise<T> {
    let p = this.shared.get(key) as Promise<T> | undefined;
    if (!p) {
      p = opener();
      this.shared.set(key, p);
      p.catch(() => this.shared.delete(key));
    }
    return p;
  }
}

/**
 * A shared open transaction: the first commit commits it for every publish in it, the
 * first abort rolls it back. `settled` says which happened, so a publish whose abort
 * comes after the commit knows it was published anyway; a commit that fails fails for
 * every publish in it.
 */
export class SharedTransaction implements Shared {
  settled: 'open' | 'committed' | 'rolled_back' = 'open';
  private ending: Promise<void> | undefined;

  constructor(private readonly finish: (commit: boolean) => Promise<void>) {}

  async end(commit: boolean): Promise<void> {
    this.ending ??= (async () => {
      try {
        await this.finish(commit);
        this.settled = commit ? 'committed' : 'rolled_back';
      } catch (e) {
        this.settled = 'rolled_back';
        throw e;
      }
    })();
    await this.ending;
    if (commit && this.settled !== 'committed') throw new Error('the change was discarded together with another publish to the same file');
  }
}
