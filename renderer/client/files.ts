// Getting a data file into a workflow, per platform: the desktop asks the OS file dialog
// (through the preload) for a path; a browser uploads the file to the server, which saves
// it in the workflow's data/ folder (POST /upload, with the same token as the API).
import type { PickFileOptions } from '../../runner/api/ipc-protocol.ts';
import { detectTransport } from './index.ts';

export interface Uploaded {
  /** relative to the workflow folder, e.g. data/train.csv */
  path: string;
  bytes: number;
  replaced: boolean;
}

/** The OS file dialog, when the app runs on the desktop. */
export function osFilePicker(): ((o: PickFileOptions) => Promise<string | null>) | undefined {
  const t = detectTransport();
  if (t.kind !== 'ipc' || !t.bridge.pickFile) return undefined;
  const bridge = t.bridge;
  return (o) => bridge.pickFile!(o);
}

/** Uploads `file` into the workflow's data/ folder (browser only). */
export async function uploadToWorkflow(workflowId: string, file: File): Promise<Uploaded> {
  const t = detectTransport();
  if (t.kind !== 'web') throw new Error('uploads are for the browser; the desktop app reads files where they are');
  const url = `${t.baseUrl.replace(/\/+$/, '')}/upload?workflow=${encodeURIComponent(workflowId)}&name=${encodeURIComponent(file.name)}`;
  const res = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${t.token}`, 'Content-Type': 'application/octet-stream' }, body: file });
  const body = (await res.json().catch(() => ({}))) as Partial<Uploaded> & { error?: string; fix?: string };
  if (!res.ok) throw new Error(body.error ? `${body.error}${body.fix ? `: ${body.fix}` : ''}` : `the upload failed (HTTP ${res.status})`);
  return body as Uploaded;
}
