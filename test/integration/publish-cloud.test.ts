// Why: the cloud destinations through their official SDKs (snowflake-sdk,
// @google-cloud/bigquery, @googleapis/sheets), pointed at local stand-ins of the real APIs
// (test/helpers/cloud-standins.ts): every mode, what arrived, atomic failures, auth, and
// the "test connection" answers. The stand-ins are named in every test's title.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDestinationWriter } from '../../runner/connectors/registry.ts';
import type { ConnectionConfig, PublishRequest } from '../../runner/connectors/types.ts';
import { probeConnection } from '../../runner/connections/probe.ts';
import { SAMPLE_SQL, scratchDuck } from '../helpers/db-servers.ts';
import { makeServiceAccount, startBigQueryStandIn, startSheetsStandIn, startSnowflakeStandIn } from '../helpers/cloud-standins.ts';
import { makeWorkflow, numbersCsv, openTestEngine } from '../helpers/workflows.ts';

let dir: string;
let duck: Awaited<ReturnType<typeof scratchDuck>>;
const pq: Record<string, string> = {};
const sa = makeServiceAccount();
const other = makeServiceAccount('someone-else@aq-test.iam.gserviceaccount.com');

function req(type: string, destination: Partial<PublishRequest['destination']>, mode: PublishRequest['mode'], parquet: string, connection: ConnectionConfig, key?: string[]): PublishRequest {
  return { parquetPath: pq[parquet]!, destination: { type, connection: 'cloud', ...destination }, mode, key, workflowFolder: dir, connection };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aq-pub-cloud-'));
  duck = await scratchDuck();
  pq['sample'] = await duck.parquet(SAMPLE_SQL, join(dir, 'sample.parquet'));
  pq['changes'] = await duck.parquet(`SELECT id, f, d, b, dt, ts, tz, 'changed' AS s, big FROM (${SAMPLE_SQL}) WHERE id = 2
    UNION ALL SELECT 4, 4.5, 4.5, true, DATE '2030-01-01', TIMESTAMP '2030-01-01', TIMESTAMPTZ '2030-01-01 00:00:00+00', 'new', 4`, join(dir, 'changes.parquet'));
  pq['scores'] = await duck.parquet("SELECT 'c' || i AS customer, i * 0.25 AS score, i % 2 = 0 AS high FROM range(1, 6) r(i)", join(dir, 'scores.parquet'));
  pq['other'] = await duck.parquet('SELECT 1 AS x', join(dir, 'other.parquet'));
});
afterAll(() => {
  duck?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('snowflake destination', () => {
  let sf: Awaited<ReturnType<typeof startSnowflakeStandIn>>;
  let cfg: ConnectionConfig;
  beforeAll(async () => {
    sf = await startSnowflakeStandIn({ user: 'PUBLISHER', password: 'sf-pass-1' });
    cfg = { type: 'snowflake', account: 'acme-test', user: 'PUBLISHER', password: 'sf-pass-1', database: 'ANALYTICS', schema: 'PUBLIC', warehouse: 'WH', accessUrl: sf.url };
  });
  afterAll(() => sf?.stop());
  const writer = getDestinationWriter('snowflake');

  it('publishes every mode to Snowflake (local stand-in for the Snowflake REST API the SDK speaks)', async () => {
    expect(await writer.publish(req('snowflake', { table: 'scores' }, 'replace', 'sample', cfg))).toEqual({ rows: 3, target: 'ANALYTICS.PUBLIC.SCORES' });
    const types = await sf.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'SCORES' ORDER BY ordinal_position`);
    expect(types.map((t) => t.join(' '))).toEqual(['ID DECIMAL(38,0)', 'F DOUBLE', 'D DECIMAL(10,3)', 'B BOOLEAN', 'DT DATE', 'TS TIMESTAMP', 'TZ TIMESTAMP WITH TIME ZONE', 'S VARCHAR', 'BIG DECIMAL(38,0)']);
    expect(await sf.query(`SELECT CAST("ID" AS INT), "F", CAST("D" AS VARCHAR), "B", CAST("TS" AS VARCHAR), CAST("TZ" AS VARCHAR), "S", CAST("BIG" AS VARCHAR) FROM "PUBLIC"."SCORES" ORDER BY 1`)).toEqual([
      [1, 1.5, '12.345', true, '2024-01-02 03:04:05.123456', '2024-01-02 01:04:05.5+00', 'Zürich ✓ 東京', '9007199254740993'],
      [2, -0.25, '-0.001', false, '1999-12-31 23:59:59', '1999-12-31 23:59:59+00', 'say "hi", then\nleave', '-5'],
      [3, null, null, null, null, null, null, null],
    ]);
    // replace again: filled under a staging name, then swapped in
    await writer.publish(req('snowflake', { table: 'scores' }, 'replace', 'sample', cfg));
    expect(sf.requests.some((r) => /SWAP WITH/.test(r.body))).toBe(true);
    expect(await sf.query(`SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '%AQ_STAGING%'`)).toEqual([[0n]]);
    expect((await writer.publish(req('snowflake', { table: 'scores' }, 'append', 'sample', cfg))).rows).toBe(3);
    expect(await sf.query('SELECT count(*) FROM "PUBLIC"."SCORES"')).toEqual([[6n]]);
    await writer.publish(req('snowflake', { table: 'keyed' }, 'replace', 'sample', cfg));
    expect((await writer.publish(req('snowflake', { table: 'keyed' }, 'upsert', 'changes', cfg, ['id']))).rows).toBe(2);
    expect(await sf.query('SELECT CAST("ID" AS INT), "S" FROM "PUBLIC"."KEYED" ORDER BY 1')).toEqual([[1, 'Zürich ✓ 東京'], [2, 'changed'], [3, null], [4, 'new']]);
    await expect(writer.publish(req('snowflake', { table: 'keyed' }, 'fail_if_exists', 'sample', cfg))).rejects.toMatchObject({ message: expect.stringContaining('already exists') });
    // rows travel as array binds in the query request, never through a stage upload
    const insert = sf.requests.find((r) => r.body.includes('INSERT INTO'))!;
    expect(JSON.parse(insert.body).bindings['1'].value).toEqual(['1', '2', '3']);
    expect(sf.requests.some((r) => /PUT file|\/upload/i.test(r.body + r.path))).toBe(false);
  });

  it('explains a refused login and tests the connection (local stand-in for Snowflake)', async () => {
    await expect(writer.publish(req('snowflake', { table: 't' }, 'replace', 'sample', { ...cfg, password: 'nope' }))).rejects.toMatchObject({ fix: expect.stringContaining('password') });
    expect(await probeConnection(cfg)).toMatchObject({ ok: true, message: expect.stringContaining('9.0.0-standin') });
    expect(await probeConnection({ ...cfg, password: 'nope' })).toMatchObject({ ok: false, problem: 'auth' });
  });
});

describe('bigquery destination', () => {
  let bq: Awaited<ReturnType<typeof startBigQueryStandIn>>;
  let cfg: ConnectionConfig;
  beforeAll(async () => {
    bq = await startBigQueryStandIn({ projectId: 'aq-test', datasets: ['predictions'], email: sa.email, publicKey: sa.publicKey });
    cfg = { type: 'bigquery', projectId: 'aq-test', dataset: 'predictions', credentials: sa.json, apiEndpoint: bq.url };
  });
  afterAll(() => bq?.stop());
  const writer = getDestinationWriter('bigquery');

  it('publishes every mode to BigQuery (local stand-in for the BigQuery API)', async () => {
    expect(await writer.publish(req('bigquery', { table: 'scores' }, 'replace', 'sample', cfg))).toEqual({ rows: 3, target: 'aq-test.predictions.scores' });
    const load = bq.requests.find((r) => r.path.startsWith('/upload/bigquery/v2/projects/aq-test/jobs'))!;
    expect(load.body).toContain('"writeDisposition":"WRITE_TRUNCATE"');
    expect(load.body).toContain('"sourceFormat":"PARQUET"');
    expect(await bq.query('SELECT id, s, CAST(big AS VARCHAR) FROM predictions.scores ORDER BY id')).toEqual([[1, 'Zürich ✓ 東京', '9007199254740993'], [2, 'say "hi", then\nleave', '-5'], [3, null, null]]);
    expect((await writer.publish(req('bigquery', { table: 'scores' }, 'append', 'sample', cfg))).rows).toBe(3);
    expect(await bq.query('SELECT count(*) FROM predictions.scores')).toEqual([[6n]]);
    await writer.publish(req('bigquery', { table: 'keyed' }, 'replace', 'sample', cfg));
    expect((await writer.publish(req('bigquery', { table: 'keyed' }, 'upsert', 'changes', cfg, ['id']))).rows).toBe(2);
    expect(await bq.query('SELECT id, s FROM predictions.keyed ORDER BY id')).toEqual([[1, 'Zürich ✓ 東京'], [2, 'changed'], [3, null], [4, 'new']]);
    expect(await bq.query("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '%staging%'")).toEqual([[0n]]);
    await expect(writer.publish(req('bigquery', { table: 'keyed' }, 'fail_if_exists', 'sample', cfg))).rejects.toMatchObject({ message: expect.stringContaining('already exists') });
    expect((await writer.publish(req('bigquery', { table: 'fresh' }, 'fail_if_exists', 'sample', cfg))).rows).toBe(3);
  });

  it('refuses a wrong key and a missing dataset with fixes (local stand-in for the BigQuery API)', async () => {
    const wrong = { ...cfg, credentials: JSON.stringify({ ...JSON.parse(other.json), client_email: sa.email }) };
    await expect(writer.publish(req('bigquery', { table: 't' }, 'replace', 'sample', wrong))).rejects.toMatchObject({ fix: expect.stringContaining('service-account key') });
    await expect(writer.publish(req('bigquery', { table: 'nope.t' }, 'replace', 'sample', cfg))).rejects.toMatchObject({ fix: expect.stringContaining('create the dataset') });
    expect(await probeConnection(cfg)).toMatchObject({ ok: true, message: 'found dataset aq-test.predictions (US)' });
    expect(await probeConnection({ ...cfg, dataset: 'missing' })).toMatchObject({ ok: false, problem: 'database' });
    expect(await probeConnection(wrong)).toMatchObject({ ok: false, problem: 'auth' });
  });
});

describe('google sheets destination', () => {
  let gs: Awaited<ReturnType<typeof startSheetsStandIn>>;
  let cfg: ConnectionConfig;
  beforeAll(async () => {
    gs = await startSheetsStandIn({
      email: sa.email, publicKey: sa.publicKey,
      spreadsheets: { book1: { title: 'Churn scores', sharedWith: [sa.email], tabs: ['Sheet1'] }, private1: { title: 'Private', sharedWith: [], tabs: ['Sheet1'] } },
    });
    cfg = { type: 'google_sheets', credentials: sa.json, rootUrl: gs.url, spreadsheetId: 'https://docs.google.com/spreadsheets/d/book1/edit' };
  });
  afterAll(() => gs?.stop());
  const writer = getDestinationWriter('google_sheets');

  it('replaces and appends a sheet\'s values in one batchUpdate each (local stand-in for the Sheets API)', async () => {
    expect(await writer.publish(req('google_sheets', { sheet: 'Scores' }, 'replace', 'scores', cfg))).toEqual({ rows: 5, target: 'book1#Scores' });
    expect(gs.values('book1', 'Scores')).toEqual([['customer', 'score', 'high'], ['c1', '0.25', 'FALSE'], ['c2', '0.5', 'TRUE'], ['c3', '0.75', 'FALSE'], ['c4', '1', 'TRUE'], ['c5', '1.25', 'FALSE']]);
    expect((await writer.publish(req('google_sheets', { sheet: 'Scores' }, 'append', 'scores', cfg))).rows).toBe(5);
    expect(gs.values('book1', 'Scores')).toHaveLength(11);
    // replace with fewer rows leaves nothing of the old values behind
    await writer.publish(req('google_sheets', { sheet: 'Scores' }, 'replace', 'other', cfg));
    expect(gs.values('book1', 'Scores')).toEqual([['x'], ['1']]);
    // a failing append (header differs) changes nothing; fail_if_exists refuses a filled tab
    await expect(writer.publish(req('google_sheets', { sheet: 'Scores' }, 'append', 'scores', cfg))).rejects.toMatchObject({ fix: expect.stringContaining('replace') });
    await expect(writer.publish(req('google_sheets', { sheet: 'Scores' }, 'fail_if_exists', 'scores', cfg))).rejects.toMatchObject({ message: expect.stringContaining('already has values') });
    expect(gs.values('book1', 'Scores')).toEqual([['x'], ['1']]);
    const updates = gs.requests.filter((r) => r.path.endsWith(':batchUpdate'));
    expect(updates).toHaveLength(3);
    expect(JSON.parse(updates[0]!.body).requests.map((r: object) => Object.keys(r)[0])).toEqual(['addSheet', 'updateCells']);
  });

  it('in a run, Sheets is written at commit, and not at all when another publish fails; the log says it cannot be staged (local stand-in for the Sheets API)', async () => {
    const engine = await openTestEngine('sheets-all-or-nothing', { resolveConnection: async () => cfg });
    try {
      const folder = makeWorkflow(
        {
          nodes: [
            { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
            { id: 'to_sheet', kind: 'publish', inputs: ['numbers'], destination: { type: 'google_sheets', connection: 'cloud', sheet: 'RunSheet' } },
            { id: 'to_csv', kind: 'publish', inputs: ['numbers'], destination: { type: 'csv', path: 'out/numbers.csv' }, mode: 'fail_if_exists' },
          ],
        },
        { 'data/numbers.csv': numbersCsv(4) },
        'sheets-aon',
      );
      const ok = await engine.run(folder);
      expect(ok.status, ok.error).toBe('succeeded');
      expect(gs.values('book1', 'RunSheet')).toHaveLength(5);
      expect(engine.store.getLogs(ok.id, 'to_sheet').map((l) => l.line)).toContain(
        "staged 4 rows for book1#RunSheet (replace); google_sheets cannot hold a change back: it is written when the run's publishes are committed, before the others",
      );
      // the CSV now exists, so its fail_if_exists publish fails: the sheet gets nothing
      writeFileSync(join(folder, 'data/numbers.csv'), numbersCsv(2));
      const updates = () => gs.requests.filter((r) => r.path.endsWith(':batchUpdate')).length;
      const before = updates();
      const failed = await engine.run(folder);
      expect(failed.status).toBe('failed');
      expect(failed.nodes.find((n) => n.nodeId === 'to_sheet')).toMatchObject({ status: 'skipped', error: { message: 'not published: publish to_csv failed' } });
      expect(updates()).toBe(before);
      expect(gs.values('book1', 'RunSheet')).toHaveLength(5);
    } finally {
      await engine.close();
    }
  });

  it('says to share the spreadsheet with the service account (local stand-in for the Sheets API)', async () => {
    await expect(writer.publish(req('google_sheets', { sheet: 'S', path: 'private1' }, 'replace', 'scores', cfg))).rejects.toMatchObject({ fix: `share the spreadsheet with ${sa.email} as Editor` });
    await expect(writer.publish(req('google_sheets', { sheet: 'S', path: 'gone' }, 'replace', 'scores', cfg))).rejects.toMatchObject({ message: expect.stringContaining('spreadsheet not found') });
    expect(await probeConnection(cfg)).toMatchObject({ ok: true, message: 'found spreadsheet "Churn scores"' });
    expect(await probeConnection({ ...cfg, spreadsheetId: 'private1' })).toMatchObject({ ok: false, problem: 'privilege', fix: expect.stringContaining(sa.email) });
  });
});
