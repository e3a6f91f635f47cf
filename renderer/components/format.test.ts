// How numbers, durations, times and statuses read in the UI.
import { describe, expect, it } from 'vitest';
import { formatAgo, formatDuration, formatValue, statusTone } from './format.ts';

describe('format', () => {
  it('reads durations at the right scale', () => {
    expect(formatDuration(12)).toBe('12 ms');
    expect(formatDuration(1530)).toBe('1.5 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(undefined)).toBe('–');
  });
  it('rounds floats but keeps integers whole', () => {
    expect(formatValue(2000)).toBe('2,000');
    expect(formatValue(0.123456789)).toBe('0.123457');
    expect(formatValue(null)).toBe('null');
  });
  it('says how long ago', () => {
    expect(formatAgo(1_000, 10_000)).toBe('just now');
    expect(formatAgo(0, 10_000)).toBe('never');
    expect(formatAgo(0 + 1, 3 * 3600_000)).toBe('3 h ago');
  });
  it('maps statuses to tones', () => {
    expect(statusTone('succeeded')).toBe('ok');
    expect(statusTone('failed')).toBe('fail');
    expect(statusTone('succeeded_with_warnings')).toBe('warn');
  });
});
