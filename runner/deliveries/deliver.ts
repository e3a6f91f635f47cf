// A publish node whose destination is email, slack or folder delivers its input report to
// people, under the rules of every publish (last, only when nothing failed; in lineage)
// plus one of its own: at most once per run. The delivery is claimed in the ledger before
// anything is sent and recorded after; transient failures are retried a few times.
import fs from 'node:fs';
import path from 'node:path';
import { ConnectionMissingError } from '../connections/types.ts';
import type { ConnectionConfig } from '../connectors/types.ts';
import { NodeFailure, type NodeContext, type NodeOutcome } from '../exec/kinds/types.ts';
import { fillPlaceholders } from '../reports/placeholders.ts';
import { readManifest, ReportMissingError, reportFiles } from '../reports/report-files.ts';
import { asList, emailOf } from '../spec/validate-report.ts';
import { buildAttachments, DEFAULT_ATTACH } from './attachments.ts';
import { DEFAULT_MAX_MB, sendReportEmail } from './email.ts';
import { deliverToFolder } from './folder.ts';
import { sendReportSlack } from './slack.ts';
import { DeliveryError, withRetries } from './transient.ts';

const CONNECTION_TYPE = { email: 'smtp', slack: 'slack' } as const;

export async function runDelivery(ctx: NodeContext): Promise<NodeOutcome> {
  const node = ctx.node;
  if (node.kind !== 'publish') throw new Error('not a publish node');
  const d = node.destination;
  const type = d.type.trim().toLowerCase() as 'email' | 'slack' | 'folder';
  const reportId = node.inputs[0] ?? '';
  const runDir = path.dirname(ctx.outputPath);
  const files = reportFiles(runDir, reportId);
  let model;
  try {
    model = readManifest(files);
  } catch (e) {
    if (e instanceof ReportMissingError) throw new NodeFailure(`report "${reportId}": ${e.message}`);
    throw e;
  }

  let connection: ConnectionConfig | undefined;
  if (type !== 'folder') {
    const name = d.connection ?? '';
    const want = CONNECTION_TYPE[type];
    try {
      connection = await ctx.resolveConnection(name);
    } catch (e) {
      if (!(e instanceof ConnectionMissingError)) throw e;
      const what = type === 'email' ? 'SMTP' : 'Slack';
      if (d.optional) return { type: 'skipped', reason: `not sent: no ${what} connection "${name}" is configured: add one under Connections (type ${want}), then run again` };
      throw new NodeFailure(`destination.connection "${name}" is not a saved connection`, undefined, `add an ${what} connection named ${name} under Connections (type ${want}), or fix destination.connection`);
    }
    if (connection.type !== want) throw new NodeFailure(`destination.connection "${name}" is a ${connection.type} connection, not ${want}`, undefined, `use a ${want} connection for ${type} deliveries`);
  }

  const values = model.values;
  const owner = ctx.workflow.owner;
  const people = (list: string[]) =>
    list.flatMap((r) => {
      if (r === 'owner') {
        if (!owner) throw new NodeFailure('destination.to names the owner, but this workflow has no owner', undefined, 'set owner: in workflow.yaml (or your name and email in Settings)');
        return [`${owner.name} <${owner.email}>`];
      }
      if (r === 'watchers') return ctx.workflow.definition.watchers ?? [];
      return [r];
    });
  const to = type === 'email' ? [...new Set(people(asList(d.to)))] : [];
  const cc = type === 'email' ? [...new Set(people(asList(d.cc)))].filter((x) => !to.includes(x)) : [];
  const name = d.name ? fillPlaceholders(d.name, values).replace(/[/\\]/g, '-') : reportId;
  const folder = type === 'folder' ? path.resolve(ctx.workflow.folder, d.path ?? '') : undefined;
  const target =
    type === 'email' ? `email to ${to.map((x) => emailOf(x) ?? x).join(', ')}` : type === 'slack' ? `slack ${d.channel ?? ''}` : path.join(folder!, name);

  const claim = ctx.deliveries.claim(ctx.runId, node.id, type, target, { idempotent: type === 'folder' });
  if (!claim.go) {
    ctx.log('system', claim.reason);
    if (!claim.warning) return { type: 'skipped', reason: claim.reason };
    return { type: 'published', destination: type, target, rows: 0, connection: d.connection, mode: 'replace', warning: claim.warning, delivered: true };
  }
  const scratch = path.join(runDir, `${node.id}.delivery`);
  try {
    const tables = new Map(Object.entries(model.sources ?? {}));
    const attachments = await buildAttachments(d.attach ?? DEFAULT_ATTACH, { files, title: model.title }, tables, scratch, ctx.workflow.folder, ctx.signal);
    const detail = await withRetries(
      `${type} delivery`,
      async () => {
        if (type === 'email') {
          return sendReportEmail({
            connection: connection!,
            to,
            cc,
            subject: fillPlaceholders(d.subject ?? '{{title}}', values),
            model,
            files,
            attachments,
            maxBytes: (d.max_size_mb ?? DEFAULT_MAX_MB) * 1024 * 1024,
            messageId: `<${claim.runKey}.${node.id}@aqueduct>`,
          });
        }
        if (type === 'slack') return sendReportSlack(connection!, d.channel!.trim(), model, files, attachments, ctx.signal);
        return `copied ${deliverToFolder(folder!, name, files, attachments).map((f) => path.basename(f)).join(', ')} to ${folder}`;
      },
      (line) => ctx.log('system', line),
      ctx.signal,
    );
    ctx.deliveries.finish(claim.runKey, node.id, 'sent', detail);
    ctx.log('system', `delivered: ${detail}`);
    return { type: 'published', destination: type, target, rows: 0, connection: d.connection, mode: 'replace', delivered: true };
  } catch (e) {
    const message = e instanceof DeliveryError || e instanceof NodeFailure ? e.message : (e as Error).message;
    ctx.deliveries.finish(claim.runKey, node.id, 'failed', message);
    if (e instanceof DeliveryError) throw new NodeFailure(`${type} delivery of report "${reportId}" failed: ${e.message}`, undefined, e.fix);
    throw e;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
