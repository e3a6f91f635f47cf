// Checks without code on real runs: each template passes on good data and fails on bad
// data with a sentence naming the offending values; severities keep their rules; checks
// that compare with earlier runs (row count, drift, schema) read the store's history.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../runner/api/types.ts';
import type { Engine } from '../../runner/engine.ts';
import { loadWorkflow } from '../../runner/spec/load.ts';
import { makeWorkflow, openTestEngine } from '../helpers/workflows.ts';

const ORDERS = [
  'id,customer,status,amount,email,updated_at',
  '1,ada,paid,10.5,ada@example.com,2024-05-01 10:00:00',
  '2,bob,paid,20,bob@example.com,2024-05-02 11:00:00',
  '3,çelik,refunded,-5,celik@example,2024-05-03 12:00:00',
  '4,dan,lost,30,,2024-05-04 13:00:00',
  '4,dan,lost,31,dan@example.com,2024-05-04 13:00:00',
  '5,eve,paid,250,eve@example.com,',
  '6,,pending,40,fay@example.com,2024-05-05 14:00:00',
].join('\n') + '\n';

const node = (id: string, template: Record<string, unknown>, severity = 'error') => ({ id, kind: 'check', inputs: ['orders'], severity, template });
const messageOf = (run: RunDetail, id: string) => run.checks.find((c) => c.nodeId === id)?.message;
const statusOf = (run: RunDetail, id: string) => run.nodes.find((n) => n.nodeId === id)?.status;

describe('checks without code', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('checks');
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('each template fails on bad data with the offending values, and passes on good data', async () => {
    const folder = makeWorkflow({
      parameters: { max_amount: { type: 'number', default: 100 } },
      nodes: [
        { id: 'orders', kind: 'source', file: 'data/orders.csv' },
        node('ids_unique', { type: 'unique', columns: ['id'] }),
        node('pairs_unique', { type: 'unique', columns: ['id', 'amount'] }),
        node('has_email', { type: 'not_null', columns: ['email', 'customer'] }, 'warning'),
        node('known_status', { type: 'accepted_values', column: 'status', values: ['paid', 'refunded', 'pending'] }),
        node('amount_range', { type: 'range', column: 'amount', min: 0, max: '$max_amount' }),
        node('email_shape', { type: 'regex', column: 'email', pattern: '[^@]+@[^@]+\\.[a-z]+' }),
        { id: 'out', kind: 'publish', inputs: ['orders'], destination: { type: 'csv', path: 'out/orders.csv' } },
      ],
    }, { 'data/orders.csv': ORDERS }, 'templates');
    expect(fs.existsSync(path.join(folder, 'nodes'))).toBe(false);
    const run = await engine.run(folder);
    expect(run.status).toBe('failed');
    expect(messageOf(run, 'ids_unique')).toBe('1 value of (id) occurs more than once in orders, in 2 rows: {"id":4} (2 rows)');
    expect(statusOf(run, 'pairs_unique')).toBe('succeeded');
    expect(messageOf(run, 'has_email')).toBe(
      '2 rows of orders have a null in email or customer: {"id":4,"customer":"dan","status":"lost","amount":30.0,"email":null,"updated_at":"2024-05-04 13:00:00"}; ' +
        '{"id":6,"customer":null,"status":"pending","amount":40.0,"email":"fay@example.com","updated_at":"2024-05-05 14:00:00"}',
    );
    expect(statusOf(run, 'has_email')).toBe('warning');
    expect(messageOf(run, 'known_status')).toBe('2 rows of orders.status hold values not in [paid, refunded, pending]: "lost" (2 rows)');
    expect(messageOf(run, 'amount_range')).toBe('2 rows of orders.amount are outside 0 … 100: -5.0, 250.0');
    expect(messageOf(run, 'email_shape')).toBe('1 row of orders.email does not match [^@]+@[^@]+\\.[a-z]+: "celik@example"');
    // an error check failed: nothing is published
    expect(statusOf(run, 'out')).toBe('skipped');
    expect(fs.existsSync(path.join(folder, 'out/orders.csv'))).toBe(false);

    // the parameter moves the range; the good rows pass every template
    const good = ORDERS.split('\n').filter((l) => !/^(3|4|6),/.test(l)).join('\n');
    fs.writeFileSync(path.join(folder, 'data/orders.csv'), good);
    const again = await engine.run(folder, { params: { max_amount: 300 } });
    expect(again.status, JSON.stringify(again.checks)).toBe('succeeded');
    expect(again.checks.every((c) => c.passed)).toBe(true);
    expect(fs.existsSync(path.join(folder, 'out/orders.csv'))).toBe(true);
  });

  it('a column the input lacks is one sentence with the columns it has', async () => {
    const folder = makeWorkflow({ nodes: [{ id: 'orders', kind: 'source', file: 'data/orders.csv' }, node('typo', { type: 'not_null', columns: ['emial'] })] },
      { 'data/orders.csv': ORDERS }, 'template-typo');
    const run = await engine.run(folder);
    expect(run.nodes.find((n) => n.nodeId === 'typo')!.error).toEqual({
      message: 'template.columns[0] of check typo: column "emial" is not in its input orders',
      fix: "use one of orders's columns: id, customer, status, amount, email, updated_at",
    });
  });

  it('row count, drift and schema compare with earlier runs; freshness with the run time', async () => {
    const csv = (n: number, amount: (i: number) => number, extra = false) =>
      [`id,amount,at${extra ? ',note' : ''}`, ...Array.from({ length: n }, (_, i) => `${i},${amount(i)},${new Date(Date.now() - 3600_000).toISOString()}${extra ? ',x' : ''}`)].join('\n') + '\n';
    const folder = makeWorkflow({
      nodes: [
        { id: 'orders', kind: 'source', file: 'data/orders.csv' },
        node('count_steady', { type: 'row_count', max_change_percent: 20, runs: 3 }),
        node('amount_steady', { type: 'drift', column: 'amount', max_z: 3, runs: 5 }),
        node('nulls_steady', { type: 'drift', column: 'amount', measure: 'null_rate', runs: 5 }, 'warning'),
        node('same_columns', { type: 'schema_unchanged' }),
        node('fresh', { type: 'freshness', column: 'at', max_age_hours: 2 }),
      ],
    }, { 'data/orders.csv': csv(100, (i) => 10 + (i % 5)) }, 'history');
    const first = await engine.run(folder);
    expect(first.status).toBe('succeeded'); // no history yet: nothing to compare with
    for (const k of [1, 2, 3]) {
      fs.writeFileSync(path.join(folder, 'data/orders.csv'), csv(100 + k, (i) => 10 + ((i + k) % 5)));
      expect((await engine.run(folder)).status).toBe('succeeded');
    }
    fs.writeFileSync(path.join(folder, 'data/orders.csv'), csv(150, (i) => (i % 10 === 0 ? NaN : 40), true).replace(/,NaN,/g, ',,'));
    const run = await engine.run(folder);
    expect(run.status).toBe('failed');
    expect(messageOf(run, 'count_steady')).toBe('orders has 150 rows, 47.1% above the mean 102 of its last 3 runs (allowed: 20%)');
    expect(messageOf(run, 'amount_steady')).toMatch(/^mean of orders\.amount is 40, [\d.]+ standard deviations above its mean 1[12][\d.]* over the last 4 runs \(allowed: 3\)$/);
    expect(messageOf(run, 'nulls_steady')).toBe('null rate of orders.amount is 10.0%, but it was 0.0% in each of the last 4 runs');
    expect(statusOf(run, 'nulls_steady')).toBe('warning');
    expect(messageOf(run, 'same_columns')).toBe('the columns of orders changed since the last run: + note VARCHAR');
    expect(statusOf(run, 'fresh')).toBe('succeeded');

    fs.writeFileSync(path.join(folder, 'data/orders.csv'), 'id,amount,at\n1,10,2020-01-01 00:00:00\n');
    const stale = await engine.run(folder);
    expect(messageOf(stale, 'fresh')).toBe('the newest orders.at is 2020-01-01 00:00:00, more than 2 hours before the run');
  });

  it('templates are validated with the file: one table input, declared number parameters', () => {
    const folder = makeWorkflow({
      nodes: [
        { id: 'orders', kind: 'source', file: 'data/orders.csv' },
        { id: 'other', kind: 'source', file: 'data/orders.csv' },
        { id: 'two', kind: 'check', inputs: ['orders', 'other'], template: { type: 'unique', columns: ['id'] } },
        { id: 'bad_bound', kind: 'check', inputs: ['orders'], template: { type: 'range', column: 'amount', max: '$nope' } },
        { id: 'bad_type', kind: 'check', inputs: ['orders'], template: { type: 'nope' } },
      ],
    }, { 'data/orders.csv': ORDERS }, 'template-invalid');
    const r = loadWorkflow(folder);
    expect(r.ok).toBe(false);
    const messages = r.ok ? [] : r.problems.map((p) => `${p.nodeId ?? ''} ${p.field}: ${p.message}`);
    expect(messages).toContain('bad_type nodes[4].template.type: template type "nope" is unknown; use one of not_null, unique, accepted_values, range, regex, row_count, drift, freshness, schema_unchanged');
    const parsed = makeWorkflow({
      nodes: [
        { id: 'orders', kind: 'source', file: 'data/orders.csv' },
        { id: 'other', kind: 'source', file: 'data/orders.csv' },
        { id: 'two', kind: 'check', inputs: ['orders', 'other'], template: { type: 'unique', columns: ['id'] } },
        { id: 'bad_bound', kind: 'check', inputs: ['orders'], template: { type: 'range', column: 'amount', max: '$nope' } },
      ],
    }, { 'data/orders.csv': ORDERS }, 'template-invalid2');
    const r2 = loadWorkflow(parsed);
    const m2 = r2.ok ? [] : r2.problems.map((p) => `${p.nodeId} ${p.field}: ${p.message}`);
    expect(m2).toEqual([
      'two nodes[2].inputs: a unique check reads exactly one table, got 2 inputs',
      'bad_bound nodes[3].template.max: $nope is not a parameter of this workflow',
    ]);
  });
});
