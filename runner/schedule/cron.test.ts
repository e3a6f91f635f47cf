// Cron validation and the slot sequence through both of Europe/Berlin's DST changes in
// 2026 (the rules are documented at the top of cron.ts).
import { describe, expect, it } from 'vitest';
import { compileCron, nextRuns, nextSlot, ScheduleInvalidError, slotsBetween } from './cron.ts';

const TZ = 'Europe/Berlin';
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const local = (ms: number) => new Date(ms).toLocaleString('sv-SE', { timeZone: TZ });

function slotsOfLocalDay(cron: string, dayStartUtc: string, dayEndUtc: string): number[] {
  const c = compileCron(cron, TZ);
  return slotsBetween(c, Date.parse(dayStartUtc) - 1, Date.parse(dayEndUtc) - 1, 10_000).slots;
}

describe('cron slots across DST (Europe/Berlin)', () => {
  it('spring forward 2026-03-29: 23 hourly slots; 02:30 (nonexistent) fires once at 03:30 CEST', () => {
    // local day 2026-03-29 runs from 23:00Z on the 28th to 22:00Z on the 29th (23 hours)
    const hourly = slotsOfLocalDay('0 * * * *', '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z');
    expect(hourly).toHaveLength(23);
    expect(hourly.map(local)).not.toContain('2026-03-29 02:00:00');
    expect(new Set(hourly).size).toBe(23);
    const daily = slotsOfLocalDay('30 2 * * *', '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z');
    expect(daily.map(iso)).toEqual(['2026-03-29T01:30:00Z']);
    expect(daily.map(local)).toEqual(['2026-03-29 03:30:00']);
  });

  it('fall back 2026-10-25: 25 hourly slots (both 02:00s); 02:30 (twice) fires once, at the first', () => {
    // local day 2026-10-25 runs from 22:00Z on the 24th to 23:00Z on the 25th (25 hours)
    const hourly = slotsOfLocalDay('0 * * * *', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z');
    expect(hourly).toHaveLength(25);
    expect(hourly.map(iso)).toContain('2026-10-25T00:00:00Z'); // 02:00 CEST
    expect(hourly.map(iso)).toContain('2026-10-25T01:00:00Z'); // 02:00 CET
    const every20 = slotsOfLocalDay('*/20 * * * *', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z');
    expect(every20).toHaveLength(75);
    const daily = slotsOfLocalDay('30 2 * * *', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z');
    expect(daily.map(iso)).toEqual(['2026-10-25T00:30:00Z']);
  });

  it('the fast fixed-offset path agrees with croner in the zone away from DST changes', () => {
    const c = compileCron('7,37 */3 * * 1-5', 'America/New_York');
    let t = Date.parse('2026-05-01T00:00:00Z');
    for (let i = 0; i < 200; i++) {
      const ours = nextSlot(c, t)!;
      expect(ours).toBe(c.zoned.nextRun(new Date(t))!.getTime());
      t = ours;
    }
  });

  it('slots are strictly increasing and unique over a year of every-15-minutes', () => {
    const c = compileCron('*/15 * * * *', TZ);
    const { slots } = slotsBetween(c, Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z'), 100_000);
    for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBe(15 * 60_000);
    expect(slots).toHaveLength(365 * 96);
  });
});

describe('cron validation', () => {
  it('refuses a bad expression naming the field and giving an example', () => {
    expect(() => compileCron('61 * * * *', 'UTC')).toThrow(ScheduleInvalidError);
    expect(() => compileCron('61 * * * *', 'UTC')).toThrow(/schedule\.cron: "61 \* \* \* \*" is not a valid cron expression: Invalid value for minute: 61 \(example: "30 2 \* \* \*"/);
    expect(() => compileCron('every day', 'UTC')).toThrow(/schedule\.cron: "every day" has 2 fields/);
    expect(() => compileCron('0 0 30 2 *', 'UTC')).toThrow(/never fires/);
  });

  it('refuses an unknown time zone naming the field', () => {
    expect(() => compileCron('0 * * * *', 'Mars/Olympus')).toThrow(/schedule\.timezone: "Mars\/Olympus" is not an IANA time zone \(example: "Europe\/Berlin"/);
  });

  it('expands presets and nicknames', () => {
    expect(compileCron('daily', 'UTC').cron).toBe('0 0 * * *');
    expect(compileCron('@hourly', 'UTC').cron).toBe('0 * * * *');
    expect(compileCron('weekly', 'UTC').cron).toBe('0 0 * * 1');
    expect(compileCron('monthly', 'UTC').cron).toBe('0 0 1 * *');
  });

  it('nextRuns lists upcoming times for the UI', () => {
    const next = nextRuns('30 2 * * *', TZ, 3, Date.parse('2026-03-27T12:00:00Z'));
    expect(next.map((d) => iso(d.getTime()))).toEqual(['2026-03-28T01:30:00Z', '2026-03-29T01:30:00Z', '2026-03-30T00:30:00Z']);
  });
});
