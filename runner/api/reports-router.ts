// `reports.*`: a run's rendered report (its self-contained HTML for the inspector's
// sandboxed preview, its PDF to download), a python node's figure, and what was delivered
// to people (the delivery records that keep a run from sending twice).
import fs from 'node:fs';
import { z } from 'zod';
import type { DeliveryRecord } from '../deliveries/ledger.ts';
import { figureFile, readManifest, ReportMissingError, reportFiles } from '../reports/report-files.ts';
import { runFolder } from '../store/paths.ts';
import { notFound, procedure, router, UserError, type ApiContext } from './context.ts';

const ref = z.object({ runId: z.string().min(1), nodeId: z.string().regex(/^[a-z_][a-z0-9_]*$/) });

function runIdOf(ctx: ApiContext, idOrPrefix: string): string {
  const id = ctx.engine.store.resolveRunId(idOrPrefix);
  if (!id) throw notFound(`run ${idOrPrefix}`);
  return id;
}

function filesOf(ctx: ApiContext, input: z.infer<typeof ref>) {
  const runId = runIdOf(ctx, input.runId);
  const node = ctx.engine.store.getNodeRun(runId, input.nodeId);
  if (!node || node.kind !== 'report') throw new UserError(`node "${input.nodeId}" of run ${runId.slice(0, 8)} is not a report`);
  return reportFiles(runFolder(ctx.engine.paths, runId), input.nodeId);
}

function manifest(files: ReturnType<typeof reportFiles>) {
  try {
    return readManifest(files);
  } catch (e) {
    if (e instanceof ReportMissingError) throw new UserError(e.message);
    throw e;
  }
}

export const reportsRouter = router({
  get: procedure.input(ref).query(({ ctx, input }) => {
    const files = filesOf(ctx, input);
    const m = manifest(files);
    return {
      title: m.title,
      html: fs.readFileSync(files.html, 'utf8'),
      charts: m.charts.length,
      tables: m.tables.map((t) => ({ title: t.title, shown: t.rows.length, total: t.total })),
      pdfBytes: fs.statSync(files.pdf).size,
    };
  }),

  pdf: procedure.input(ref).query(({ ctx, input }) => {
    const files = filesOf(ctx, input);
    const m = manifest(files);
    const name = `${m.title.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || input.nodeId}.pdf`;
    return { fileName: name, base64: fs.readFileSync(files.pdf).toString('base64') };
  }),

  figure: procedure.input(ref).query(({ ctx, input }) => {
    const file = figureFile(runFolder(ctx.engine.paths, runIdOf(ctx, input.runId)), input.nodeId);
    return fs.existsSync(file) ? { base64: fs.readFileSync(file).toString('base64') } : null;
  }),

  deliveries: procedure.input(z.object({ runId: z.string().min(1) })).query(({ ctx, input }): DeliveryRecord[] => ctx.engine.deliveries.forRun(runIdOf(ctx, input.runId))),
});
