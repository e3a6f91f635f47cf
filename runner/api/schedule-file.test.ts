// The schedule block is spliced into workflow.yaml: the rest of the text stays byte for
// byte, comments in and around the block stay, a new block gets a line of its own.
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { spliceScheduleBlock } from './schedule-file.ts';

const FILE = `# head
name: X # the name
description: >
  a folded description that a person wrapped by hand, long enough that a printer would
  wrap it somewhere else
# nightly, after the CRM export
schedule:
  cron: "30 2 * * *" # 02:30
  timezone: UTC
  # the end of the block
# the parameters
parameters:
  a: { type: integer, default: 1 }
nodes: [{ id: a, kind: source, file: a.csv }]
`;
const BLOCK = { cron: '0 0 * * *', timezone: 'Europe/Berlin', catchup: 'once' };

describe('spliceScheduleBlock', () => {
  it('edits the block in place and leaves every other line alone', () => {
    const out = spliceScheduleBlock(FILE, BLOCK);
    expect((YAML.parse(out) as { schedule: unknown }).schedule).toEqual(BLOCK);
    expect(out).toContain('  cron: "0 0 * * *" # 02:30\n  timezone: Europe/Berlin\n  catchup: once\n');
    const untouched = (t: string) => t.split('\n').filter((l) => !/^\s\s(cron|timezone|catchup):/.test(l));
    expect(untouched(out)).toEqual(untouched(FILE));
  });

  it('removes the block but not the comments of what follows, and adds it back after the description', () => {
    const removed = spliceScheduleBlock(FILE, undefined);
    expect(removed).not.toContain('schedule:');
    expect(removed).toContain('# the parameters\nparameters:');
    expect(removed).toContain('wrap it somewhere else\n');
    const added = spliceScheduleBlock(removed, BLOCK);
    expect(added).toContain('  wrap it somewhere else\nschedule:\n  cron: "0 0 * * *"\n  timezone: Europe/Berlin\n  catchup: once\n');
    expect((YAML.parse(added) as { schedule: unknown }).schedule).toEqual(BLOCK);
  });

  it('handles a flow-style block, a file without a trailing newline, and refuses broken YAML', () => {
    expect(spliceScheduleBlock('name: x\nschedule: { cron: "1 * * * *" }\nnodes: []\n', BLOCK)).toBe(
      'name: x\nschedule: { cron: "0 0 * * *", timezone: Europe/Berlin, catchup: once }\nnodes: []\n',
    );
    expect(spliceScheduleBlock('name: x', { cron: '*/5 * * * *', timezone: 'UTC' })).toBe('name: x\nschedule:\n  cron: "*/5 * * * *"\n  timezone: UTC\n');
    expect(() => spliceScheduleBlock('name: [x\n', BLOCK)).toThrow(/not valid YAML/);
  });
});
