// report nodes: render the report of this run (HTML, PDF, charts) into the run's folder
// from the node's inputs: their tables (first rows only), metric and check values, and
// figures python nodes returned. Delivering it to people is a publish node's job.
import path from 'node:path';
import type { ParamValue } from '../../api/types.ts';
import { figureFile, reportFiles } from '../../reports/report-files.ts';
import { ReportError, renderReport } from '../../reports/render-report.ts';
import { NodeFailure, type NodeContext, type NodeOutcome } from './types.ts';

export async function runReport(ctx: NodeContext): Promise<NodeOutcome> {
  const node = ctx.node;
  if (node.kind !== 'report') throw new Error('not a report node');
  const runDir = path.dirname(ctx.outputPath);
  const values: Record<string, ParamValue | undefined> = {};
  const figures = new Map<string, string>();
  for (const [id, rec] of ctx.upstream) {
    if (rec.kind === 'metric' || rec.kind === 'check') values[id] = rec.value;
    if (rec.kind === 'python' && !ctx.inputs.has(id)) figures.set(id, figureFile(runDir, id));
  }
  const owner = ctx.workflow.owner ?? ctx.workflow.definition.owner;
  try {
    const { model, bytes } = await renderReport(
      node,
      {
        duck: ctx.duck,
        tables: new Map([...ctx.inputs].map(([id, t]) => [id, t.path])),
        values,
        figures,
        params: ctx.params,
        facts: { workflow: ctx.workflow.definition.name, runId: ctx.runId, date: new Date().toISOString().slice(0, 10), owner: owner ? `${owner.name} <${owner.email}>` : undefined },
        signal: ctx.signal,
      },
      reportFiles(runDir, node.id),
    );
    ctx.log('system', `report "${model.title}": ${model.tables.length} table(s), ${model.charts.length} chart(s), HTML and PDF (${Math.round(bytes / 1024)} KB)`);
    return { type: 'report', bytes };
  } catch (e) {
    if (e instanceof ReportError) throw new NodeFailure(`report ${node.id}, ${e.message}`, undefined, e.fix);
    throw e;
  }
}
