// Benchmark output: figures with their baseline from the same run and the ratio, so a
// noisy machine is compared with itself. Never asserted: printed.
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
