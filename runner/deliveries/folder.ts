// A report copied to a folder (a shared drive, a synced folder): report.html and
// report.pdf under a chosen name, plus any attachments, each copied under a temporary
// name in the target folder and renamed, so a reader never opens half a file. Copying
// again gives the same files, so a delivery interrupted mid-copy is simply done again.
import fs from 'node:fs';
import path from 'node:path';
import type { Attachment } from './attachments.ts';
import { DeliveryError } from './transient.ts';

export function copyAtomic(from: string, to: string): void {
  const tmp = path.join(path.dirname(to), `.${path.basename(to)}.${process.pid}.partial`);
  try {
    fs.copyFileSync(from, tmp);
    fs.renameSync(tmp, to);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Copies the report and attachments into `dir` as <name>.html, <name>.pdf, <name>-<file>; returns the files written. */
export function deliverToFolder(dir: string, name: string, report: { html: string; pdf: string }, attachments: Attachment[]): string[] {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new DeliveryError(`cannot create the folder ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'pick a folder you can write to under path:');
  }
  const written: string[] = [];
  const copies: [string, string][] = [
    [report.html, path.join(dir, `${name}.html`)],
    [report.pdf, path.join(dir, `${name}.pdf`)],
    ...attachments.filter((a) => !a.filename.endsWith('.pdf') && !a.filename.endsWith('.html')).map((a): [string, string] => [a.path, path.join(dir, `${name}-${a.filename}`)]),
  ];
  for (const [from, to] of copies) {
    try {
      copyAtomic(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new DeliveryError(`cannot write ${to} (${code ?? (e as Error).message})`, code === 'ENOSPC' ? 'free some space on that drive' : 'check that the folder can be written to', code === 'EBUSY' || code === 'EAGAIN');
    }
    written.push(to);
  }
  return written;
}

/** Removes what a folder delivery wrote (target: the folder and name, without extension). */
export function dropDelivered(target: string): boolean {
  const dir = path.dirname(target);
  const name = path.basename(target);
  if (!fs.existsSync(dir)) return false;
  const mine = fs.readdirSync(dir).filter((f) => f === `${name}.html` || f === `${name}.pdf` || f.startsWith(`${name}-`));
  for (const f of mine) fs.rmSync(path.join(dir, f), { force: true });
  return mine.length > 0;
}
