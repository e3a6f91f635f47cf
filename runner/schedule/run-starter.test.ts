// A slot is claimed, its run created and the slot marked started in one commit; that holds
// only while Engine.startRun creates the run row before its first await.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { tempHome } from '../../test/helpers/home.ts';
import { tinyWorkflow } from '../../test/integration/scheduler-fixtures.ts';
import { settleStart, startRunInTransaction } from './run-starter.ts';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe('starting a run inside a transaction', () => {
  it('has the run row before the transaction commits, so the slot can point at it', async () => {
    const home = tempHome('run-starter');
    engine = await Engine.open({ home });
    const id = engine.openWorkflow(tinyWorkflow(path.join(home, 'workflows'), 'Tiny')).summary.id;
    const db = engine.store.db;
    const e = engine;
    const start = db.transaction(() => startRunInTransaction(db, e, id, { trigger: 'schedule' })).immediate();
    expect(start.runId).toMatch(/^[0-9a-f-]{36}$/);
    const settled = await settleStart(start);
    if (!settled.ok) throw new Error(settled.error);
    expect(settled.run.run.id).toBe(start.runId);
    expect((await settled.run.done).status).toBe('succeeded');
  });
});
