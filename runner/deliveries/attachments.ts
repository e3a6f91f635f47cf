// The files a delivery carries besides the report itself: the report's PDF or HTML, and
// any table input of the report as CSV or Excel, written by the same writers as a publish
// (into a scratch folder of the run, removed after the delivery).
import fs from 'node:fs';
import path from 'node:path';
import { getDestinationWriter } from '../connectors/registry.ts';
import { PublishError } from '../connectors/types.ts';
import type { ReportFiles } from '../reports/report-files.ts';
import { DeliveryError } from './transient.ts';
import { ensurePrivateDir } from '../store/private-files.ts';

export interface Attachment {
  filename: string;
  path: string;
  contentType: string;
  bytes: number;
}

/** What to attach when attach: is not given. */
export const DEFAULT_ATTACH = ['pdf'];

const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'report';

export async function buildAttachments(
  attach: string[],
  report: { files: ReportFiles; title: string },
  tables: Map<string, string>,
  scratch: string,
  workflowFolder: string,
  signal?: AbortSignal,
): Promise<Attachment[]> {
  const out: Attachment[] = [];
  const base = slug(report.title);
  for (const a of attach) {
    if (a === 'pdf' || a === 'html') {
      const file = a === 'pdf' ? report.files.pdf : report.files.html;
      out.push({ filename: `${base}.${a}`, path: file, contentType: a === 'pdf' ? 'application/pdf' : 'text/html', bytes: fs.statSync(file).size });
      continue;
    }
    const [table, ext] = a.split('.') as [string, 'csv' | 'xlsx'];
    const parquet = tables.get(table);
    if (!parquet || !fs.existsSync(parquet)) throw new DeliveryError(`cannot attach ${a}: table "${table}" has no output in this run`, `attach a table input of the report`);
    ensurePrivateDir(scratch);
    const file = path.join(scratch, `${table}.${ext}`);
    try {
      await getDestinationWriter(ext === 'csv' ? 'csv' : 'excel').publish({
        parquetPath: parquet,
        destination: { type: ext === 'csv' ? 'csv' : 'excel', path: file, ...(ext === 'xlsx' ? { sheet: table.slice(0, 31) } : {}) },
        mode: 'replace',
        workflowFolder,
        signal,
      });
    } catch (e) {
      if (e instanceof PublishError) throw new DeliveryError(`cannot attach ${a}: ${e.message}`, e.fix);
      throw e;
    }
    out.push({
      filename: `${table}.${ext}`,
      path: file,
      contentType: ext === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      bytes: fs.statSync(file).size,
    });
  }
  return out;
}

export function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
