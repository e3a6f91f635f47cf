// Terminal output for the CLI: statuses with colour when stdout is a terminal, durations,
// and plain tables. Scripts use --json instead.
import type { NodeStatus, RunStatus } from '../api/types.ts';

const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (s: string) => (tty ? `\u001b[${code}m${s}\u001b[0m` : s);
export const green = paint(32);
export const red = paint(31);
export const yellow = paint(33);
export const dim = paint(2);
export const bold = paint(1);

export function statusText(s: RunStatus | NodeStatus): string {
  switch (s) {
    case 'succeeded':
      return green(s);
    case 'succeeded_with_warnings':
    case 'warning':
      return yellow(s);
    case 'failed':
    case 'interrupted':
      return red(s);
    default:
      return dim(s);
  }
}

export function duration(start?: number, end?: number): string {
  if (start === undefined || end === undefined) return '';
  const ms = end - start;
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function table(rows: string[][]): string {
  const strip = (s: string) => s.replace(/\u001b\[\d+m/g, '');
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, strip(c).length)));
  return rows.map((r) => r.map((c, i) => c + ' '.repeat((widths[i] ?? 0) - strip(c).length)).join('  ').trimEnd()).join('\n');
}

export function cell(v: unknown): string {
  if (v === null || v === undefined) return dim('null');
  if (typeof v === 'object') return JSON.stringify(v);
  const s = String(v);
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}

/** One line for what a run published: rows to a table or file, or a report delivered to people. */
export function publicationLine(p: { destination: string; rows: number; target: string; mode: string }): string {
  return ['email', 'slack', 'folder'].includes(p.destination) ? `delivered the report: ${p.target}` : `published ${p.rows} rows to ${p.target} (${p.mode})`;
}
