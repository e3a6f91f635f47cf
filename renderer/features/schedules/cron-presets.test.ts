// Presets with a time of day, and cron in words.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET, describeCron, presetCron, presetOf } from './cron-presets.ts';

describe('schedule presets', () => {
  it('turn a time of day, a weekday or a day of the month into cron', () => {
    expect(presetCron({ ...DEFAULT_PRESET, kind: 'daily', hour: 7, minute: 30 })).toBe('30 7 * * *');
    expect(presetCron({ ...DEFAULT_PRESET, kind: 'weekly', hour: 6, minute: 0, weekday: 1 })).toBe('0 6 * * 1');
    expect(presetCron({ ...DEFAULT_PRESET, kind: 'monthly', hour: 23, minute: 15, day: 28 })).toBe('15 23 28 * *');
    expect(presetCron({ ...DEFAULT_PRESET, kind: 'hourly', minute: 45 })).toBe('45 * * * *');
  });

  it('read cron back as a preset when it is one, and not otherwise', () => {
    expect(presetOf('30 7 * * *')).toMatchObject({ kind: 'daily', hour: 7, minute: 30 });
    expect(presetOf('0 6 * * 7')).toMatchObject({ kind: 'weekly', weekday: 0 });
    expect(presetOf('0 0 1 * *')).toMatchObject({ kind: 'monthly', day: 1 });
    expect(presetOf('*/5 * * * *')).toBeUndefined();
    expect(presetOf('0 9 * * 1-5')).toBeUndefined();
    expect(presetOf('0 30 2 * * *')).toBeUndefined();
  });

  it('say the cron in words as it is typed', () => {
    expect(describeCron('30 7 * * 1')).toBe('At 07:30, only on Monday');
    expect(describeCron('0 9 * * 1-5')).toBe('At 09:00, Monday through Friday');
    expect(describeCron('61 * * * *')).toBeUndefined();
    expect(describeCron('')).toBeUndefined();
  });
});
