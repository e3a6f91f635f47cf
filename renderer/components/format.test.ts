// How numbers, durations, times and statuses read in the UI.
import { describe, expect, it } from 'vitest';
import { formatAgo, formatCell, formatDuration, formatValue, splitPath, statusTone } from './format.ts';

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
  it('prints table cells as a notebook does: years without a thousands separator', () => {
    expect(formatCell(2003)).toBe('2003');
    expect(formatCell(208500)).toBe('208500');
    expect(formatCell(0.123456789)).toBe('0.123457');
    expect(formatCell(null)).toBe('null');
  });
  it('splits a path into the part that may shrink and the name that must show', () => {
    expect(splitPath('/home/me/work/house-prices')).toEqual({ head: '/home/me/work', tail: '/house-prices' });
    expect(splitPath('C:\\Users\\me\\out.csv')).toEqual({ head: 'C:\\Users\\me', tail: '\\out.csv' });
    expect(splitPath('plain')).toEqual({ head: '', tail: 'plain' });
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
