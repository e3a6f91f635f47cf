// Where a report lives: a folder of its own in its run's folder, runs/<run>/<node>.report/,
// holding report.html (self-contained), report.pdf, report.json (the rendered model, which
// deliveries and the UI read) and each chart as SVG and PNG. A python node's figure sits
// beside the run's tables as <node>.png. The folder is written under a temporary name and
// renamed, so a crash never leaves half a report.
import fs from 'node:fs';
import path from 'node:path';
import type { ReportModel } from './report-model.ts';
import { ensurePrivateDir } from '../store/private-files.ts';

export interface ReportFiles {
  dir: string;
  html: string;
  pdf: string;
  manifest: string;
}

export function reportFiles(runDir: string, nodeId: string): ReportFiles {
  const dir = path.join(runDir, `${nodeId}.report`);
  return { dir, html: path.join(dir, 'report.html'), pdf: path.join(dir, 'report.pdf'), manifest: path.join(dir, 'report.json') };
}

/** The PNG a python node's run() returned as a figure, in its run's folder. */
export function figureFile(runDir: string, nodeId: string): string {
  return path.join(runDir, `${nodeId}.png`);
}

export class ReportMissingError extends Error {}

export function readManifest(files: ReportFiles): ReportModel {
  if (!fs.existsSync(files.manifest)) {
    throw new ReportMissingError(fs.existsSync(path.dirname(files.dir)) ? 'the report was not rendered in this run' : 'the report was deleted with its run\'s outputs (retention)');
  }
  return JSON.parse(fs.readFileSync(files.manifest, 'utf8')) as ReportModel;
}

/** Writes a report folder: `fill` writes into a temporary folder, which then replaces `dir`. */
export async function writeReportFolder(dir: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  ensurePrivateDir(tmp);
  try {
    await fill(tmp);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Total size of the report's files in bytes. */
export function folderBytes(dir: string): number {
  return fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}
