// The desktop transport without Electron: the renderer's IPC link and the runner's
// message server, joined by a real MessageChannel (what the preload relays), over the
// real router and engine. Answers and errors must match what HTTP gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../runner/engine.ts';
import type { AqueductBridge, IpcInbound, IpcRequest } from '../../runner/api/ipc-protocol.ts';
import { createApiContext } from '../../runner/api/context.ts';
import { appRouter } from '../../runner/api/router.ts';
import type { RunEvent } from '../../runner/api/types.ts';
import { serveMessages } from '../../runner/server/message-server.ts';
import { tempHome } from '../../test/helpers/home.ts';
import { createApiClient, problemsOf, type Api } from './index.ts';

let engine: Engine;
let api: Api;
const ports: MessagePort[] = [];

beforeAll(async () => {
  engine = await Engine.open({ home: tempHome('ipc-link') });
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  serveMessages(
    {
      postMessage: (m) => port1.postMessage(m),
      onMessage: (l) => (port1.onmessage = (e) => l(e.data as IpcRequest)),
      onClose: () => {},
    },
    appRouter,
    createApiContext(engine),
  );
  const listeners = new Set<(m: IpcInbound) => void>();
  port2.onmessage = (e) => listeners.forEach((l) => l(e.data as IpcInbound));
  const bridge: AqueductBridge = {
    send: (m) => port2.postMessage(m),
    onMessage: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  api = createApiClient({ kind: 'ipc', bridge });
});

afterAll(async () => {
  ports.forEach((p) => p.close());
  await engine?.close();
});

describe('the IPC transport', () => {
  it('answers queries and mutations', async () => {
    expect(await api.workflows.list.query()).toEqual([]);
    const w = await api.workflows.createFromExample.mutate({});
    expect(w.name).toBe('Customer churn');
    const doc = await api.workflows.get.query({ id: w.id });
    expect(doc.problems).toEqual([]);
    expect(doc.nodes.find((n) => n.id === 'features')?.source).toMatch(/select/i);
  });

  it('carries errors with their code and problems', async () => {
    const [w] = await api.workflows.list.query();
    const err = await api.runs.preview.mutate({ workflowId: w!.id, nodeId: 'no_such_node' }).catch((e: unknown) => e);
    expect((err as { data?: { code?: string } }).data?.code).toBe('BAD_REQUEST');
    expect(problemsOf(err)[0]).toMatchObject({ nodeId: 'no_such_node' });
  });

  it('streams run events to a subscription and stops when unsubscribed', async () => {
    const [w] = await api.workflows.list.query();
    const events: RunEvent[] = [];
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    let started!: () => void;
    const listening = new Promise<void>((r) => (started = r));
    const sub = api.events.onRun.subscribe(undefined, {
      onStarted: () => started(),
      onData: (e) => {
        events.push(e);
        if (e.type === 'run_finished') finished();
      },
    });
    await listening;
    const run = await api.runs.preview.mutate({ workflowId: w!.id, nodeId: 'customers' });
    await done;
    const kinds = events.map((e) => e.type).filter((t) => t !== 'node_log');
    expect(kinds).toEqual(['run_started', 'node_started', 'node_finished', 'run_finished']);

    // unsubscribing ends the generator in the runner: its bus listener goes away
    const listeners = () => (engine.events as unknown as { listeners: Set<unknown> }).listeners.size;
    expect(listeners()).toBe(1);
    sub.unsubscribe();
    await expect.poll(listeners).toBe(0);
    expect((await api.runs.get.query({ runId: run.id })).status).toBe('succeeded');
    const rows = await api.runs.output.query({ runId: run.id, nodeId: 'customers', limit: 2 });
    expect(rows.rows).toHaveLength(2);
  });
});
