// A report delivered to Slack (on a local stand-in for Slack's Web API: chat.postMessage,
// then the chart PNG and the PDF through the external upload calls, in the message's
// thread) and to a folder (the files renamed into place, in lineage, removable with the
// workflow). The Slack stand-in checks the bot token and answers with Slack's shapes; the
// sealed token never appears in the logs.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPublished, publishedTargets } from '../../runner/connectors/lineage.ts';
import type { Engine } from '../../runner/engine.ts';
import { tempHome } from '../helpers/home.ts';
import { startSlackStandIn, type SlackStandIn } from '../helpers/slack-standin.ts';
import { openTestEngine } from '../helpers/workflows.ts';
import { addSlackConnection, reportWorkflow } from './report-fixtures.ts';

let slack: SlackStandIn;
let engine: Engine;

beforeAll(async () => {
  slack = await startSlackStandIn();
  engine = await openTestEngine('report-slack');
  addSlackConnection(engine, slack.url, slack.token);
});
afterAll(async () => {
  await engine?.close();
  await slack?.close();
});

const toSlack = (extra: Record<string, unknown> = {}) => ({
  id: 'slack_summary',
  kind: 'publish',
  inputs: ['summary'],
  destination: { type: 'slack', connection: 'slack', channel: '#reports', ...extra },
});

describe('a report on Slack (local stand-in for Slack\'s Web API)', () => {
  it('posts a summary and uploads the chart PNG and the PDF into its thread', async () => {
    const run = await engine.run(reportWorkflow({ deliveries: [toSlack()] }), { trigger: 'test' });
    expect(run.status, run.error).toBe('succeeded');
    expect(slack.messages).toHaveLength(1);
    const [msg] = slack.messages;
    expect(msg!.channel).toBe('C0REPORTS');
    expect(msg!.text).toMatch(/^\*Scores: mean \d+\.\d%\*\n_Scores report · run [0-9a-f]{8} · \d{4}-\d\d-\d\d_\nThis week\n\nThe mean score is 0\.\d{3}; customers above 0\.5 count as high risk\./);
    expect(slack.files.map((f) => [f.name, f.threadTs, f.channel])).toEqual([
      ['chart-1.png', msg!.ts, 'C0REPORTS'],
      [expect.stringMatching(/^Scores-mean-.*\.pdf$/), msg!.ts, 'C0REPORTS'],
    ]);
    expect(slack.files[0]!.data.subarray(1, 4).toString()).toBe('PNG');
    expect(slack.files[1]!.data.subarray(0, 5).toString()).toBe('%PDF-');
    expect(run.publications).toEqual([expect.objectContaining({ destination: 'slack', target: 'slack #reports', connection: 'slack' })]);
    const logs = engine.store.getLogs(run.id).map((l) => l.line).join('\n');
    expect(logs).not.toContain(slack.token);
  });

  it('waits out a rate limit (HTTP 429, Retry-After) and posts once', async () => {
    slack.messages.length = 0;
    slack.rateLimitNext(1);
    const run = await engine.run(reportWorkflow({ deliveries: [toSlack({ attach: [] })] }), { trigger: 'test' });
    expect(run.status, run.error).toBe('succeeded');
    expect(slack.messages).toHaveLength(1);
    expect(engine.store.getLogs(run.id, 'slack_summary').map((l) => l.line).join('\n')).toContain('Slack answered HTTP 429; trying again in 1 s');
  });

  it('says what to do about a channel Slack does not know, without retrying', async () => {
    const run = await engine.run(reportWorkflow({ deliveries: [toSlack({ channel: '#nowhere' })] }), { trigger: 'test' });
    expect(run.status).toBe('failed');
    expect(run.nodes.find((n) => n.nodeId === 'slack_summary')?.error).toEqual({
      message: 'slack delivery of report "summary" failed: Slack\'s chat.postMessage answered channel_not_found',
      fix: 'check channel: (a #name the bot can see, or the channel id)',
    });
    expect(engine.store.getLogs(run.id, 'slack_summary').map((l) => l.line).join('\n')).not.toContain('trying again');
  });

  it('tests a Slack connection with auth.test, and names a bad token', async () => {
    const { ConnectionService } = await import('../../runner/connections/service.ts');
    const service = new ConnectionService(engine.store.db, engine.paths.home);
    expect(await service.test('slack')).toMatchObject({ ok: true, message: 'the token works: bot aqueduct-bot in workspace Test team' });
    expect(await service.test({ name: 'x', type: 'slack', token: 'xoxb-wrong', apiUrl: slack.url })).toMatchObject({ ok: false, problem: 'auth', fix: 'check the bot token of the Slack connection (xoxb-…)' });
  });
});

describe('a report copied to a folder', () => {
  it('renames the HTML, PDF and attachments into place, records them in lineage, and drops them with the workflow', async () => {
    const shared = path.join(tempHome('shared-drive'), 'reports');
    const folder = reportWorkflow({ deliveries: [{ id: 'to_drive', kind: 'publish', inputs: ['summary'], destination: { type: 'folder', path: shared, name: 'scores-{{date}}', attach: ['scores.csv'] } }] });
    const run = await engine.run(folder, { trigger: 'test' });
    expect(run.status, run.error).toBe('succeeded');
    const day = new Date().toISOString().slice(0, 10);
    expect(fs.readdirSync(shared).sort()).toEqual([`scores-${day}-scores.csv`, `scores-${day}.html`, `scores-${day}.pdf`]);
    expect(fs.readFileSync(path.join(shared, `scores-${day}.html`), 'utf8')).toContain('<img src="data:image/svg+xml;base64,');
    expect(run.publications).toEqual([expect.objectContaining({ destination: 'folder', target: path.join(shared, `scores-${day}`) })]);
    // a second run replaces the files (no partial names left behind)
    const again = await engine.run(folder, { trigger: 'test' });
    expect(again.status).toBe('succeeded');
    expect(fs.readdirSync(shared)).toHaveLength(3);
    const w = engine.store.findWorkflowByFolder(folder)!;
    expect(publishedTargets(engine.store.db, w.id).map((t) => t.destination)).toEqual(['folder']);
    const dropped = await dropPublished(engine.store.db, w.id, { confirm: true, resolveConnection: () => Promise.reject(new Error('none')) });
    expect(dropped).toEqual([expect.objectContaining({ dropped: true })]);
    expect(fs.readdirSync(shared)).toEqual([]);
  });

  it('is delivered only once the run\'s tables are published, and not at all when a publish fails', async () => {
    const shared = path.join(tempHome('shared-drive'), 'reports');
    const toDrive = { id: 'to_drive', kind: 'publish', inputs: ['summary'], destination: { type: 'folder', path: shared } };
    const csv = (mode: string) => ({ id: 'scores_csv', kind: 'publish', inputs: ['scores'], mode, destination: { type: 'csv', path: 'out/scores.csv' } });
    const run = await engine.run(reportWorkflow({ deliveries: [toDrive], extraNodes: [csv('replace')] }), { trigger: 'test' });
    expect(run.status, run.error).toBe('succeeded');
    const node = (id: string) => run.nodes.find((n) => n.nodeId === id)!;
    // the report may name the published table: it goes out after the table is there
    expect(node('to_drive').startedAt).toBeGreaterThanOrEqual(node('scores_csv').finishedAt!);
    expect(fs.readdirSync(shared).sort()).toEqual(['summary.html', 'summary.pdf']);

    // a publish the run cannot make (its file exists, and it may not replace it): nobody is told of data that did not land
    const refused = path.join(tempHome('shared-drive'), 'reports');
    const failed = await engine.run(
      reportWorkflow({ deliveries: [{ ...toDrive, destination: { type: 'folder', path: refused } }], extraNodes: [csv('fail_if_exists')], extraFiles: { 'out/scores.csv': 'old\n' } }),
      { trigger: 'test' },
    );
    expect(failed.status).toBe('failed');
    expect(failed.nodes.find((n) => n.nodeId === 'scores_csv')?.status).toBe('failed');
    expect(failed.nodes.find((n) => n.nodeId === 'to_drive')).toMatchObject({ status: 'skipped', error: { message: 'not published: publish scores_csv failed' } });
    expect(fs.existsSync(refused)).toBe(false);
    expect(engine.deliveries.forRun(failed.id)).toEqual([]);
  });
});
