// POST /upload?workflow=<id>&name=<file>: a data file from the browser into the workflow's
// data/ folder (the desktop uses the OS file dialog instead). The server checks the token
// before this runs; here: the workflow exists, the size stays under the limit, the name is
// made safe and the file lands inside the folder (workflow-files.ts), written atomically.
import type http from 'node:http';
import type { ApiContext } from '../api/context.ts';
import { UserError } from '../api/context.ts';
import { saveUpload, tooLarge, UploadTooLargeError } from '../api/workflow-files.ts';

/** 1 GB: a data file for a laptop workflow, not a warehouse dump. */
export const DEFAULT_UPLOAD_LIMIT = 1024 * 1024 * 1024;

function reply(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

export async function handleUpload(req: http.IncomingMessage, res: http.ServerResponse, url: URL, ctx: ApiContext, headers: Record<string, string>, limitBytes = DEFAULT_UPLOAD_LIMIT): Promise<void> {
  if (req.method !== 'POST') return reply(res, 405, { error: 'upload with POST' }, { ...headers, Allow: 'POST' });
  const workflowId = url.searchParams.get('workflow') ?? '';
  const name = url.searchParams.get('name') ?? '';
  const workflow = ctx.engine.store.getWorkflow(workflowId);
  if (!workflow) return reply(res, 404, { error: `workflow ${workflowId || '(none)'} not found` }, headers);
  const declared = Number(req.headers['content-length']);
  try {
    if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
    const saved = await saveUpload(workflow.folder, name, req, limitBytes);
    reply(res, 200, saved, headers);
  } catch (e) {
    if (e instanceof UploadTooLargeError) {
      reply(res, 413, { error: e.message, fix: 'read a file that large from where it is: type its full path in the "Source file" field' }, { ...headers, Connection: 'close' });
      req.destroy();
    } else if (e instanceof UserError) {
      reply(res, 400, { error: e.message, fix: e.fix }, headers);
    } else {
      console.error('upload failed:', e);
      reply(res, 500, { error: `the upload could not be saved: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }, headers);
    }
  }
}
