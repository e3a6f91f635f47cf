// The files of a workflow folder as the UI may see and add them: a listing rooted at the
// folder (the browser's file picker for a source) and uploads into its data/ folder.
// Every path is checked to stay inside the folder, symlinks included: the browser talks
// to a server that may run on another machine, and a name from it is untrusted input.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from './context.ts';

export interface FolderEntry {
  name: string;
  /** relative to the workflow folder, with forward slashes */
  path: string;
  kind: 'file' | 'folder';
  bytes?: number;
}

export interface FolderListing {
  /** the workflow folder, absolute */
  root: string;
  /** the folder listed, relative to root ('' for root itself) */
  dir: string;
  entries: FolderEntry[];
}

const refuse = (message: string, fix?: string) => Object.assign(new UserError(message), { field: 'path', fix });

/** `rel` resolved inside `root`, or a refusal; symlinks may not lead out of it either. */
export function insideFolder(root: string, rel: string): string {
  if (path.isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) throw refuse(`${rel} is outside the workflow folder`, 'choose a file inside the workflow folder');
  const abs = path.resolve(root, rel);
  const realRoot = fs.realpathSync(root);
  if (fs.existsSync(abs)) {
    const real = fs.realpathSync(abs);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw refuse(`${rel} leads outside the workflow folder`, 'choose a file inside the workflow folder');
  }
  return abs;
}

/** One folder of the workflow, folders first; hidden files (.git, .venv…) are left out. */
export function listFolder(root: string, rel = ''): FolderListing {
  const abs = insideFolder(root, rel);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw refuse(`${rel || '.'} is not a folder of this workflow`);
  const entries: FolderEntry[] = [];
  for (const d of fs.readdirSync(abs, { withFileTypes: true })) {
    if (d.name.startsWith('.')) continue;
    const p = [rel, d.name].filter(Boolean).join('/');
    let stat: fs.Stats;
    try {
      stat = fs.statSync(path.join(abs, d.name));
    } catch {
      continue; // a dangling link
    }
    entries.push(stat.isDirectory() ? { name: d.name, path: p, kind: 'folder' } : { name: d.name, path: p, kind: 'file', bytes: stat.size });
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
  return { root, dir: rel, entries };
}

/** A file name safe on every OS: no folders, no leading dot, no control or reserved characters. */
export function safeFileName(given: string): string {
  const base = given.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .slice(0, 120);
  if (!cleaned || /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(cleaned)) throw refuse(`"${given}" cannot be used as a file name`, 'rename the file and upload it again');
  return cleaned;
}

export interface Upload {
  /** relative to the workflow folder: data/<name> */
  path: string;
  bytes: number;
  replaced: boolean;
}

export class UploadTooLargeError extends Error {}

export function tooLarge(limitBytes: number): UploadTooLargeError {
  return new UploadTooLargeError(`the file is larger than the upload limit of ${sizeText(limitBytes)}`);
}

/**
 * Streams `body` into `<root>/data/<name>` through a temporary file, renamed into place
 * only when all of it arrived within `limitBytes`; a failed or oversized upload leaves
 * the folder as it was.
 */
export async function saveUpload(root: string, name: string, body: AsyncIterable<Buffer>, limitBytes: number): Promise<Upload> {
  const file = safeFileName(name);
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  insideFolder(root, 'data');
  const target = path.join(dataDir, file);
  const existing = fs.existsSync(target) ? fs.lstatSync(target) : undefined;
  if (existing && !existing.isFile()) throw refuse(`data/${file} exists and is not a plain file`, 'rename the file and upload it again');
  const tmp = path.join(dataDir, `.${file}.upload-${randomBytes(4).toString('hex')}.tmp`);
  const out = await fs.promises.open(tmp, 'wx');
  let bytes = 0;
  try {
    for await (const chunk of body) {
      bytes += chunk.length;
      if (bytes > limitBytes) throw tooLarge(limitBytes);
      await out.write(chunk);
    }
    await out.sync();
    await out.close();
    fs.renameSync(tmp, target);
    return { path: `data/${file}`, bytes, replaced: !!existing };
  } catch (e) {
    await out.close().catch(() => undefined);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
