// How numbers, durations and times read everywhere in the UI, in one place.
import type { NodeStatus, RunStatus } from '../stores/api-types.ts';

export type Tone = 'ok' | 'warn' | 'fail' | 'run' | 'muted';

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return `${m} min ${rest} s`;
}

/** A path as what may be shortened (head) and what must show (the last segment, after its separator). */
export function splitPath(p: string): { head: string; tail: string } {
  const trimmed = p.replace(/[\\/]+$/, '');
  const at = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return at <= 0 ? { head: '', tail: p } : { head: p.slice(0, at), tail: p.slice(at) };
}

export function formatCount(n: number | undefined): string {
  return n === undefined ? '–' : n.toLocaleString('en-US');
}

/** A value in a data table: numbers as a notebook prints them (2003, not 2,003). */
export function formatCell(v: unknown): string {
  return typeof v === 'number' && Number.isInteger(v) ? String(v) : formatValue(v);
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(6)));
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function formatTime(ts: number | undefined): string {
  if (!ts) return '–';
  const d = new Date(ts);
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return sameDay ? time : `${d.toLocaleDateString('en-CA')} ${time}`;
}

export function formatAgo(ts: number | undefined, now = Date.now()): string {
  if (!ts) return 'never';
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

export function shortHash(hash: string | undefined): string {
  return hash ? hash.slice(0, 8) : '–';
}

const TONES: Record<RunStatus | NodeStatus | 'idle', Tone> = {
  queued: 'muted',
  pending: 'muted',
  idle: 'muted',
  running: 'run',
  succeeded: 'ok',
  succeeded_with_warnings: 'warn',
  warning: 'warn',
  failed: 'fail',
  skipped: 'muted',
  cancelled: 'muted',
  interrupted: 'fail',
};

export function statusTone(status: RunStatus | NodeStatus | 'idle'): Tone {
  return TONES[status] ?? 'muted';
}

export function statusLabel(status: RunStatus | NodeStatus | 'idle'): string {
  if (status === 'succeeded_with_warnings') return 'warnings';
  if (status === 'idle') return 'not run';
  return status;
}
