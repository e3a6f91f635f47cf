// Warm worker pools, one per interpreter: each workflow may run on its own environment (or
// the user's own Python), and a changed Settings → Python takes effect on the next call.
// A pool that is no longer wanted closes once its calls in flight are done; at most a few
// pools stay warm, the least recently used idle ones are closed first.
import { PythonPool } from './pool.ts';
import type { PythonPoolOptions } from './types.ts';

const MAX_WARM_POOLS = 3;

export class PythonPools {
  private readonly pools = new Map<string, { pool: PythonPool; usedAt: number }>();
  private readonly retiring = new Map<PythonPool, Promise<void>>();

  constructor(private readonly opts: Omit<PythonPoolOptions, 'python'>) {}

  get(python: string): PythonPool {
    const hit = this.pools.get(python);
    if (hit) {
      hit.usedAt = Date.now();
      return hit.pool;
    }
    const pool = new PythonPool({ ...this.opts, python });
    this.pools.set(python, { pool, usedAt: Date.now() });
    const extra = [...this.pools].filter(([p]) => p !== python).sort((a, b) => a[1].usedAt - b[1].usedAt);
    for (const [p] of extra.slice(0, Math.max(0, this.pools.size - MAX_WARM_POOLS))) this.retire(p);
    return pool;
  }

  /** The interpreters with a pool (warm or starting). */
  interpreters(): string[] {
    return [...this.pools.keys()];
  }

  /** Every pool closes when idle; the next call starts afresh (the interpreter or its packages changed). */
  retireAll(): void {
    for (const python of [...this.pools.keys()]) this.retire(python);
  }

  retire(python: string): void {
    const entry = this.pools.get(python);
    if (!entry) return;
    this.pools.delete(python);
    const pool = entry.pool;
    this.retiring.set(pool, pool.closeWhenIdle().finally(() => this.retiring.delete(pool)));
  }

  async close(): Promise<void> {
    const all = [...this.pools.values()].map((e) => e.pool.close());
    this.pools.clear();
    await Promise.all([...all, ...[...this.retiring.keys()].map((p) => p.close())]);
  }
}
