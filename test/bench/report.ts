// Benchmark output: figures with their baseline and the ratio, so a noisy machine is
// compared with itself, and the load average it was measured under. Never asserted: printed.
import os from 'node:os';
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function heading(title: string): void {
  console.log(`\n## ${title}`);
}

export function figure(name: string, value: number, unit: string, extra = ''): void {
  console.log(`  ${name.padEnd(52)} ${value.toFixed(value < 10 ? 2 : 1).padStart(10)} ${unit}${extra ? `  ${extra}` : ''}`);
}

export function ratio(name: string, value: number, baseline: number, target?: string): void {
  console.log(`  ${name.padEnd(52)} ${(value / baseline).toFixed(2).padStart(10)} ×${target ? `  (target ${target})` : ''}`);
}

export async function time<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await f();
  return { ms: performance.now() - t, value };
}

/** The machine's load while measuring: print it with every benchmark. */
export function loadAverage(): void {
  console.log(`  load average (1, 5, 15 min): ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} cores`);
}

/** Runs `a` and `b` `rounds` times each, taking turns (and swapping who goes first) so a noisy neighbour hits both alike. */
export function alternate<A, B>(rounds: number, a: () => A, b: () => B): { a: A[]; b: B[] } {
  const out = { a: [] as A[], b: [] as B[] };
  for (let i = 0; i < rounds; i++) {
    if (i % 2) {
      out.b.push(b());
      out.a.push(a());
    } else {
      out.a.push(a());
      out.b.push(b());
    }
  }
  return out;
}
