// Publishing to PostgreSQL from the portable runtime (psycopg, COPY) against a real
// throwaway server: the tables the runtime writes, their column types and rows, equal
// what the desktop app's own Postgres writer makes of the same workflow, for replace with
// a key and for append. The connection's password reaches the runtime by environment only.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../runner/engine.ts';
import { exportWorkflow } from '../../runner/engines/export.ts';
import { syncRunRecords } from '../../runner/engines/sync.ts';
import { startPostgres, type TestServer } from '../helpers/db-servers.ts';
import { tempHome } from '../helpers/home.ts';
import { enginePython, runBundle, logEssence, runEssence } from '../helpers/engines-env.ts';
import { makeWorkflow, numbersCsv, openTestEngine } from '../helpers/workflows.ts';

describe('the runtime publishes to PostgreSQL like the app', () => {
  let server: TestServer;
  let engine: Engine;
  let python: string;
  beforeAll(async () => {
    python = enginePython('runtime');
    server = await startPostgres();
    engine = await openTestEngine('engines-pg', { python, resolveConnection: async () => server.config });
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await server?.stop();
  });

  async function snapshot() {
    const columns = await server.query(`SELECT table_name, column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name IN ('scores', 'scores_log') ORDER BY table_name, ordinal_position`);
    const keys = await server.query(`SELECT conrelid::regclass::text AS t, contype, conname FROM pg_constraint WHERE conrelid::regclass::text IN ('scores', 'scores_log') ORDER BY 1`);
    return { columns, keys, scores: await server.query('SELECT * FROM scores ORDER BY id'), log: await server.query('SELECT * FROM scores_log ORDER BY id') };
  }

  it('replace with a key and append: same tables, types and rows', async () => {
    const folder = makeWorkflow({
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'scored', kind: 'sql', inputs: ['numbers'] },
        { id: 'to_scores', kind: 'publish', inputs: ['scored'], destination: { type: 'postgres', connection: 'warehouse', table: 'scores' }, mode: 'replace', key: ['id'] },
        { id: 'to_log', kind: 'publish', inputs: ['scored'], destination: { type: 'postgres', connection: 'warehouse', table: 'scores_log' }, mode: 'append' },
      ],
    }, {
      'data/numbers.csv': numbersCsv(50),
      'nodes/scored.sql': `SELECT id, grp, amount, amount::DECIMAL(10,2) AS money, id % 2 = 0 AS even, DATE '2024-02-01' + id::INTEGER AS day,
        TIMESTAMP '2024-02-01 08:00:00' + INTERVAL (id) MINUTE AS at, [id, id * 2] AS pair, 'it''s "quoted", ✓' AS note FROM numbers`,
    }, 'engines-pg');
    const local = await engine.run(folder, { trigger: 'test' });
    expect(local.status, local.error).toBe('succeeded');
    const fromApp = await snapshot();
    await server.query('DROP TABLE scores; DROP TABLE scores_log');

    const out = path.join(tempHome('pg-bundle'), 'bundle');
    const exported = await exportWorkflow(folder, { engine: 'python', out });
    const results = path.join(tempHome('pg-results'), 'results');
    const { password, ...settings } = server.config;
    process.env.AQUEDUCT_CONNECTION_WAREHOUSE = JSON.stringify(settings);
    process.env.AQUEDUCT_CONNECTION_WAREHOUSE_PASSWORD = String(password);
    try {
      const r = runBundle(python, exported.bundleDir, results);
      expect(r.status, r.stderr + r.stdout).toBe(0);
    } finally {
      delete process.env.AQUEDUCT_CONNECTION_WAREHOUSE;
      delete process.env.AQUEDUCT_CONNECTION_WAREHOUSE_PASSWORD;
    }
    expect(await snapshot()).toEqual(fromApp);
    const synced = syncRunRecords(engine.store, engine.paths, results);
    const remote = engine.store.getRun(synced.imported[0]!.runId)!;
    expect(runEssence(remote, exported.bundleDir)).toEqual(runEssence(local, folder));
    expect(logEssence(engine.store.getLogs(remote.id), exported.bundleDir)).toEqual(logEssence(engine.store.getLogs(local.id), folder));
    expect(remote.publications.map((p) => p.target).sort()).toEqual(['aqueduct_test/public.scores', 'aqueduct_test/public.scores_log']);
  });
});
