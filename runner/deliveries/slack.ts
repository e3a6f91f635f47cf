// A report on Slack: one message with the title, the run and the report's text as a
// summary, then each chart as a PNG (and the PDF unless attach: says otherwise) in the
// message's thread, so the channel shows one entry per report.
import fs from 'node:fs';
import path from 'node:path';
import type { ConnectionConfig } from '../connectors/types.ts';
import { blocksToText } from '../reports/markdown.ts';
import type { ReportFiles } from '../reports/report-files.ts';
import type { ReportModel } from '../reports/report-model.ts';
import type { Attachment } from './attachments.ts';
import { SlackClient } from './slack-api.ts';

const MAX_TEXT = 3000;

export function slackSummary(m: ReportModel): string {
  const body = blocksToText(m.blocks);
  const cut = body.length > MAX_TEXT ? `${body.slice(0, MAX_TEXT)}…` : body;
  return [`*${m.title}*`, `_${m.facts.workflow} · run ${m.facts.runId.slice(0, 8)} · ${m.facts.date}_`, cut].filter(Boolean).join('\n');
}

export async function sendReportSlack(cfg: ConnectionConfig, channel: string, model: ReportModel, files: ReportFiles, attachments: Attachment[], signal?: AbortSignal): Promise<string> {
  const slack = new SlackClient(cfg);
  const posted = await slack.call<{ channel: string; ts: string }>('chat.postMessage', { channel, text: slackSummary(model), unfurl_links: false }, signal);
  for (const c of model.charts) {
    await slack.uploadFile(posted.channel, posted.ts, c.png, c.title || model.title, fs.readFileSync(path.join(files.dir, c.png)), signal);
  }
  for (const a of attachments) {
    await slack.uploadFile(posted.channel, posted.ts, a.filename, a.filename, fs.readFileSync(a.path), signal);
  }
  return `posted to ${channel} with ${model.charts.length} chart(s)${attachments.length ? ` and ${attachments.map((a) => a.filename).join(', ')}` : ''}`;
}
