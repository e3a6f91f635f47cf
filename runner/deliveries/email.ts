// A report by email: the report inline as HTML (charts as attached PNG images the HTML
// shows by cid:, which mail clients display; data: URLs and SVG they often block), a
// plain-text part, and the attachments asked for. The whole message is built first and
// its size checked against the limit, so an oversized report fails with the sizes of its
// parts instead of a bounce from the server.
import fs from 'node:fs';
import path from 'node:path';
import type { ConnectionConfig } from '../connectors/types.ts';
import { blocksToText } from '../reports/markdown.ts';
import type { ReportFiles } from '../reports/report-files.ts';
import type { ReportModel } from '../reports/report-model.ts';
import { renderHtml } from '../reports/render-html.ts';
import { megabytes, type Attachment } from './attachments.ts';
import { composeMessage, sendRaw } from './smtp.ts';
import { DeliveryError } from './transient.ts';

export const DEFAULT_MAX_MB = 20;

export interface EmailRequest {
  connection: ConnectionConfig;
  to: string[];
  cc: string[];
  subject: string;
  model: ReportModel;
  files: ReportFiles;
  attachments: Attachment[];
  maxBytes: number;
  /** a stable id per delivery, so a mail server or client can tell a repeat */
  messageId: string;
}

export function reportText(m: ReportModel): string {
  const tables = m.tables.map((t) => `${t.title}: ${t.total.toLocaleString('en-US')} rows (the first ${t.rows.length} are in the report)`);
  return [m.title, `${m.facts.workflow} · run ${m.facts.runId.slice(0, 8)} · ${m.facts.date}`, '', blocksToText(m.blocks), '', ...tables].join('\n').trim() + '\n';
}

export async function sendReportEmail(r: EmailRequest): Promise<string> {
  const html = renderHtml(r.model, { dir: r.files.dir, images: 'cid' });
  const inline = r.model.charts.map((c) => ({ filename: c.png, path: path.join(r.files.dir, c.png), cid: `${c.png}@report`, contentType: 'image/png' }));
  const from = String(r.connection['from'] ?? r.connection.user ?? '');
  const raw = await composeMessage({
    from,
    to: r.to,
    cc: r.cc.length ? r.cc : undefined,
    subject: r.subject,
    messageId: r.messageId,
    text: reportText(r.model),
    html,
    attachments: [...inline, ...r.attachments.map((a) => ({ filename: a.filename, path: a.path, contentType: a.contentType }))],
  });
  if (raw.length > r.maxBytes) {
    const parts = [
      `the report ${megabytes(Buffer.byteLength(html) + inline.reduce((n, i) => n + fs.statSync(i.path).size, 0))}`,
      ...r.attachments.map((a) => `${a.filename} ${megabytes(a.bytes)}`),
    ].join(', ');
    throw new DeliveryError(
      `the email would be ${megabytes(raw.length)}, over its limit of ${megabytes(r.maxBytes)} (${parts}; attachments grow by a third when encoded)`,
      'attach less (drop a table from attach:, or filter it in a SQL node first), or raise max_size_mb if the mail server takes more',
    );
  }
  const envelopeTo = [...r.to, ...r.cc].map((a) => /<([^>]+)>/.exec(a)?.[1] ?? a);
  return sendRaw(r.connection, { from: /<([^>]+)>/.exec(from)?.[1] ?? from, to: envelopeTo }, raw);
}
