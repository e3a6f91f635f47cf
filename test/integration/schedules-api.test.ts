// Schedules through the real tRPC client over the real server (which hosts the real
// scheduler): a schedule set in the app lands in workflow.yaml with the user's comments
// kept, a bad cron comes back as BAD_REQUEST naming the field, the preview gives five
// times in the zone, a due schedule really starts a run marked "schedule", and secrets
// never come back out.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import YAML from 'yaml';
import { startServer, type RunningServer } from '../../runner/server/server.ts';
import { closeApiClient, createApiClient, TRPCClientError, type Api } from '../../renderer/client/index.ts';
import { EXAMPLE_CHURN, tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';

const TOKEN = 'schedules-token-abcdefghijklmnopqrstuv';
let server: RunningServer;
let api: Api;
let folder: string;
let workflowId: string;
const yamlFile = () => path.join(folder, 'workflow.yaml');
const readYaml = () => fs.readFileSync(yamlFile(), 'utf8');

/** The rejection of `p` as a tRPC error with its code, field and message. */
async function rejection(p: Promise<unknown>): Promise<{ code: string; field?: string; message: string }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCClientError);
  const err = e as TRPCClientError<never>;
  const data = err.data as unknown as { code: string; field?: string };
  return { code: data.code, field: data.field, message: err.message };
}

beforeAll(async () => {
  const home = tempHome('schedules-api');
  folder = path.join(home, 'churn');
  fs.cpSync(EXAMPLE_CHURN, folder, { recursive: true, filter: (src) => path.basename(src) !== 'out' });
  // a schedule block written by hand, with comments, before the app ever saw the folder
  const text = fs.readFileSync(yamlFile(), 'utf8').replace(/^parameters:/m, '# runs every night for the retention team\nschedule:\n  cron: "30 2 * * *" # 02:30, after the CRM export\n  timezone: UTC\nparameters:');
  fs.writeFileSync(yamlFile(), text);
  const staticDir = tempHome('schedules-api-static');
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><div id="root"></div>');
  server = await startServer({
    port: 0, home, token: TOKEN, staticDir, python: testPython(), seedExample: false,
    scheduler: { renewEveryMs: 500, leaseTtlMs: 5_000, log: () => {} },
  });
  api = createApiClient({ kind: 'web', baseUrl: `http://127.0.0.1:${server.port}`, token: TOKEN, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  workflowId = (await api.workflows.open.mutate({ folder })).id;
});

afterAll(async () => {
  if (api) closeApiClient(api);
  await server?.close();
});

describe('schedules API', () => {
  it('takes a schedule block from workflow.yaml as soon as the folder is opened', async () => {
    const got = await api.schedules.get.query({ workflowId });
    expect(got.schedule).toMatchObject({ cron: '30 2 * * *', timezone: 'UTC', source: 'file', paused: false });
    expect(got.schedule?.nextRunAt).toBeGreaterThan(Date.now());
    expect(got.fileProblem).toBeNull();
    expect(got.presets.daily).toBe('0 0 * * *');
    const home = await api.schedules.list.query();
    expect(home.map((s) => s.workflowName)).toEqual(['Customer churn']);
  });

  it('writes a schedule set in the app into workflow.yaml, keeping the comments', async () => {
    const s = await api.schedules.set.mutate({ workflowId, cron: 'daily', timezone: 'Europe/Berlin', catchup: 'once', overlap: 'queue' });
    expect(s).toMatchObject({ cron: '0 0 * * *', timezone: 'Europe/Berlin', catchup: 'once', overlap: 'queue', paused: false, source: 'file' });
    const text = readYaml();
    expect(text).toContain('# Customer churn: score every customer'); // the file's own header
    expect(text).toContain('# runs every night for the retention team');
    expect(text).toContain('# 02:30, after the CRM export'); // a comment on a line of the block itself
    expect((YAML.parse(text) as { schedule: unknown }).schedule).toEqual({ cron: '0 0 * * *', timezone: 'Europe/Berlin', catchup: 'once', overlap: 'queue' });
    // the store agrees, and reading the file back changes nothing
    expect((await api.schedules.get.query({ workflowId })).schedule).toMatchObject({ cron: '0 0 * * *', catchup: 'once' });
    await api.workflows.open.mutate({ folder });
    expect((await api.schedules.get.query({ workflowId })).schedule).toMatchObject({ cron: '0 0 * * *', timezone: 'Europe/Berlin', overlap: 'queue' });
  });

  it('refuses an invalid cron or zone as BAD_REQUEST naming the field, and leaves the file alone', async () => {
    const before = readYaml();
    const bad = await rejection(api.schedules.set.mutate({ workflowId, cron: '61 * * * *', timezone: 'UTC' }));
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', field: 'cron' });
    expect(bad.message).toMatch(/^schedule\.cron: "61 \* \* \* \*" is not a valid cron expression/);
    const short = await rejection(api.schedules.nextRuns.query({ cron: '* * *', timezone: 'UTC' }));
    expect(short).toMatchObject({ code: 'BAD_REQUEST', field: 'cron' });
    expect(short.message).toMatch(/has 3 fields/);
    const zone = await rejection(api.schedules.set.mutate({ workflowId, cron: 'hourly', timezone: 'Mars/Olympus' }));
    expect(zone).toMatchObject({ code: 'BAD_REQUEST', field: 'timezone' });
    expect(readYaml()).toBe(before);
    expect((await rejection(api.schedules.get.query({ workflowId: 'nope' }))).code).toBe('NOT_FOUND');
  });

  it('previews the next five runs in the chosen zone', async () => {
    const r = await api.schedules.nextRuns.query({ cron: '0 9 * * 1-5', timezone: 'America/New_York' });
    expect(r.cron).toBe('0 9 * * 1-5');
    expect(r.times).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect(r.times[i]!).toBeGreaterThan(r.times[i - 1]!);
    expect(r.times[0]!).toBeGreaterThan(Date.now());
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' });
    for (const t of r.times) expect(fmt.format(t)).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:00$/);
  });

  it('pauses and resumes, in the file too, and removes', async () => {
    expect((await api.schedules.pause.mutate({ workflowId })).paused).toBe(true);
    expect((YAML.parse(readYaml()) as { schedule: { paused?: boolean } }).schedule.paused).toBe(true);
    const listed = (await api.schedules.list.query())[0]!;
    expect(listed.paused).toBe(true);
    expect(listed.nextRunAt).toBeUndefined();
    // changing the cron of a paused schedule keeps it paused
    expect((await api.schedules.set.mutate({ workflowId, cron: 'weekly', timezone: 'UTC' })).paused).toBe(true);
    const resumed = await api.schedules.resume.mutate({ workflowId });
    expect(resumed.paused).toBe(false);
    expect((YAML.parse(readYaml()) as { schedule: { paused?: boolean } }).schedule.paused).toBeUndefined();
    expect(await api.schedules.remove.mutate({ workflowId })).toEqual({ removed: true });
    expect((YAML.parse(readYaml()) as { schedule?: unknown }).schedule).toBeUndefined();
    expect(readYaml()).toContain('# Customer churn: score every customer');
    expect((await api.schedules.get.query({ workflowId })).schedule).toBeNull();
    expect((await rejection(api.schedules.pause.mutate({ workflowId }))).code).toBe('NOT_FOUND');
  });

  it('never returns a Slack webhook or an SMTP password', async () => {
    const webhook = 'https://hooks.slack.com/services/T000/B000/very-secret-token';
    const set = await api.schedules.notifications.set.mutate({ workflowId, onSuccess: true, slackWebhookUrl: webhook, emailTo: ['ana@example.com'] });
    expect(set).toEqual({ onFailure: true, onWarning: false, onSuccess: true, emailTo: ['ana@example.com'], desktop: true, hasWebhook: true });
    const smtp = await api.schedules.notifications.setSmtp.mutate({ host: 'smtp.example.com', from: 'aqueduct@example.com', user: 'ana', password: 'hunter2-secret' });
    expect(smtp).toEqual({ host: 'smtp.example.com', port: 587, secure: false, user: 'ana', from: 'aqueduct@example.com', hasPassword: true, allowPlainAuth: false });
    const got = await api.schedules.notifications.get.query({ workflowId });
    expect(got.settings.hasWebhook).toBe(true);
    expect(got.smtp?.hasPassword).toBe(true);
    // and not on the wire either
    const raw = await fetch(`http://127.0.0.1:${server.port}/trpc/schedules.notifications.get?input=${encodeURIComponent(JSON.stringify({ workflowId }))}`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    const body = await raw.text();
    expect(body).toContain('hasWebhook');
    expect(body).not.toContain('very-secret-token');
    expect(body).not.toContain('hunter2');
    // a bad address names its field; keeping a secret needs no resend
    const bad = await rejection(api.schedules.notifications.set.mutate({ workflowId, emailTo: ['not an address'] }));
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', field: 'emailTo' });
    expect((await api.schedules.notifications.set.mutate({ workflowId, onWarning: true })).hasWebhook).toBe(true);
    expect((await api.schedules.notifications.set.mutate({ workflowId, slackWebhookUrl: null })).hasWebhook).toBe(false);
  });

  it('keeps cascades acyclic and retention per workflow', async () => {
    const other = await api.workflows.createFromExample.mutate({});
    const c = await api.schedules.cascades.add.mutate({ upstreamWorkflowId: workflowId, downstreamWorkflowId: other.id });
    expect(c).toMatchObject({ upstreamName: 'Customer churn', downstreamWorkflowId: other.id });
    const cycle = await rejection(api.schedules.cascades.add.mutate({ upstreamWorkflowId: other.id, downstreamWorkflowId: workflowId }));
    expect(cycle.code).toBe('BAD_REQUEST');
    expect(cycle.message).toMatch(/cycle/);
    expect((await api.schedules.cascades.list.query({ workflowId })).map((x) => x.id)).toEqual([c.id]);
    expect(await api.schedules.cascades.remove.mutate({ id: c.id })).toEqual({ removed: true });

    expect(await api.schedules.retention.get.query({ workflowId })).toMatchObject({ globalKeepRuns: 20, keepRuns: 20, own: null });
    await api.schedules.retention.set.mutate({ workflowId, keepRuns: 3 });
    expect(await api.schedules.retention.get.query({ workflowId })).toMatchObject({ keepRuns: 3, own: 3 });
    const zero = await rejection(api.schedules.retention.set.mutate({ workflowId, keepRuns: 0 }));
    expect(zero).toMatchObject({ code: 'BAD_REQUEST', field: 'keepRuns' });
  });

  it('starts a run marked "schedule" when a slot comes due', async () => {
    const status = await api.schedules.status.query();
    expect(status).toMatchObject({ role: 'holder', holderPid: process.pid, hostedHere: true, thisProcess: true });
    const slots: string[] = [];
    const sub = api.schedules.onSlot.subscribe({ workflowId }, { onData: (s) => slots.push(s.decision) });
    // every 4 seconds (a cron with seconds), overlap skip: the first slot is due within 4 s
    const started = Date.now();
    await api.schedules.set.mutate({ workflowId, cron: '*/4 * * * * *', timezone: 'UTC', overlap: 'skip', paused: false });
    let run: { id: string; trigger: string } | undefined;
    await expect
      .poll(async () => (run = (await api.runs.list.query({ workflowId })).find((r) => r.trigger === 'schedule')), { timeout: 60_000, interval: 250 })
      .toBeDefined();
    expect(Date.now() - started).toBeLessThan(60_000);
    await api.schedules.pause.mutate({ workflowId });
    const history = await api.schedules.history.query({ workflowId });
    const ran = history.find((h) => h.runId === run!.id);
    expect(ran).toMatchObject({ decision: 'ran' });
    expect(ran!.reason).toBeTruthy();
    await expect.poll(() => slots.includes('ran'), { timeout: 10_000 }).toBe(true);
    sub.unsubscribe();
    // the run goes on to the end
    await expect.poll(async () => (await api.runs.get.query({ runId: run!.id })).status, { timeout: 120_000, interval: 500 }).toMatch(/^succeeded/);
  });
});

describe('saves from the graph editor', () => {
  it('keep a schedule set after the editor loaded the workflow: in workflow.yaml and in the schedules list', async () => {
    const w = await api.workflows.createFromExample.mutate({});
    const wfFile = path.join(w.folder, 'workflow.yaml');
    // the graph editor reads the workflow once, when the page opens
    const loaded = await api.workflows.get.query({ id: w.id });
    const code = Object.fromEntries(loaded.nodes.filter((n) => n.source !== undefined).map((n) => [n.id, n.source!]));
    // then the Schedule tab saves a schedule
    await api.schedules.set.mutate({ workflowId: w.id, cron: '0 6 * * *', timezone: 'Europe/Berlin' });
    // then the graph editor saves an edit of a node's description and of a node's code
    const definition = { ...loaded.definition!, nodes: loaded.definition!.nodes.map((n) => (n.id === 'features' ? { ...n, description: 'edited in the graph' } : n)) };
    await api.workflows.save.mutate({ id: w.id, definition, code: { ...code, predictions: `${code.predictions!.trimEnd()}\n-- edited in the graph\n` }, base: { definition: loaded.definition!, code } });

    const saved = YAML.parse(fs.readFileSync(wfFile, 'utf8')) as { schedule?: unknown; nodes: { id: string; description?: string }[] };
    expect(saved.schedule).toEqual({ cron: '0 6 * * *', timezone: 'Europe/Berlin' });
    expect(saved.nodes.find((n) => n.id === 'features')?.description).toBe('edited in the graph');
    expect(fs.readFileSync(path.join(w.folder, 'nodes', 'predictions.sql'), 'utf8')).toContain('-- edited in the graph');
    const listed = (await api.schedules.list.query()).find((s) => s.workflowId === w.id);
    expect(listed).toMatchObject({ cron: '0 6 * * *', timezone: 'Europe/Berlin', paused: false });
    expect((await api.schedules.get.query({ workflowId: w.id })).schedule).toMatchObject({ cron: '0 6 * * *' });
    await api.schedules.remove.mutate({ workflowId: w.id });
  });

  it('keep what another editor changed in workflow.yaml since the editor loaded it (parameters, other nodes)', async () => {
    const w = await api.workflows.createFromExample.mutate({});
    const wfFile = path.join(w.folder, 'workflow.yaml');
    const loaded = await api.workflows.get.query({ id: w.id });
    // a text editor changes a parameter's default and another node's description meanwhile
    fs.writeFileSync(wfFile, fs.readFileSync(wfFile, 'utf8').replace('default: 0.5', 'default: 0.7').replace('Scores with a risk band.', 'written in a text editor'));
    const definition = { ...loaded.definition!, nodes: loaded.definition!.nodes.map((n) => (n.id === 'features' ? { ...n, description: 'edited in the graph' } : n)) };
    await api.workflows.save.mutate({ id: w.id, definition, code: {}, base: { definition: loaded.definition!, code: {} } });
    const saved = YAML.parse(fs.readFileSync(wfFile, 'utf8')) as { parameters: Record<string, { default?: unknown }>; nodes: { id: string; description?: string }[] };
    expect(saved.parameters.high_risk_threshold?.default).toBe(0.7);
    expect(saved.nodes.find((n) => n.id === 'predictions')?.description).toBe('written in a text editor');
    expect(saved.nodes.find((n) => n.id === 'features')?.description).toBe('edited in the graph');
  });
});
