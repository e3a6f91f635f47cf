// How a report shows a value: a column format (percent, number, integer, text, date,
// datetime, each optionally with ":N" digits) applied to what DuckDB gave. One place, so a
// table cell, a placeholder in the text and an email subject show a number the same way.
import { COLUMN_FORMAT } from '../spec/schema.ts';

export type Formatted = string;

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(min: number, max: number, percent = false): Intl.NumberFormat {
  const key = `${min}:${max}:${percent}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: min, maximumFractionDigits: max, style: percent ? 'percent' : 'decimal' });
    numberFormats.set(key, f);
  }
  return f;
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** A value as text; `format` is a column format such as "percent:1" (undefined: by its type). */
export function formatValue(v: unknown, format?: string): Formatted {
  if (v === null || v === undefined) return '';
  const m = format ? COLUMN_FORMAT.exec(format) : null;
  const kind = m?.[1];
  const digits = m?.[2] ? Number(m[2].slice(1)) : undefined;
  const n = asNumber(v);
  switch (kind) {
    case 'percent':
      return n === undefined ? String(v) : numberFormat(digits ?? 1, digits ?? 1, true).format(n);
    case 'number':
      return n === undefined ? String(v) : numberFormat(digits ?? 0, digits ?? 2).format(n);
    case 'integer':
      return n === undefined ? String(v) : numberFormat(0, 0).format(Math.round(n));
    case 'date':
      return dateText(v, false);
    case 'datetime':
      return dateText(v, true);
    case 'text':
      return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || typeof v === 'bigint') {
    const x = Number(v);
    return Number.isInteger(x) ? numberFormat(0, 0).format(x) : numberFormat(0, 4).format(x);
  }
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function dateText(v: unknown, withTime: boolean): string {
  const d = v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime())) return String(v);
  const iso = d.toISOString();
  return withTime ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso.slice(0, 10);
}

/** Whether a format is one of ours (for validation). */
export function isColumnFormat(format: string): boolean {
  return COLUMN_FORMAT.test(format);
}
