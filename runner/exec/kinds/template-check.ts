// check nodes made from a template: the template compiled to one query over the check's
// input (runner/monitor/checks/compile-template.ts), with the history it compares with
// read from the store, run on DuckDB; the query's own sentence says what failed.
import { compileTemplate, templateHistory } from '../../monitor/checks/compile-template.ts';
import { NO_HISTORY } from '../../monitor/history.ts';
import { isNumericType, isTemporalType } from '../../monitor/profile/compute-profile.ts';
import type { CheckTemplate } from '../../spec/monitor-schema.ts';
import { prepareWithParams, withConnection } from '../duck.ts';
import { sqlFailure } from './sql.ts';
import { NodeFailure, type NodeContext, type NodeOutcome } from './types.ts';

/** The columns a template names, each with the field that names it. */
export function templateColumns(t: CheckTemplate): { column: string; field: string }[] {
  if ('columns' in t) return t.columns.map((column, i) => ({ column, field: `template.columns[${i}]` }));
  if ('column' in t) return [{ column: t.column, field: 'template.column' }];
  return [];
}

/** A range or a mean needs numbers, freshness a date or time (the bundle runtime has the same rule, kinds.py). */
export function templateTypeProblem(t: CheckTemplate, columns: { name: string; type: string }[]) {
  const needs = t.type === 'range' || (t.type === 'drift' && t.measure === 'mean') ? 'numbers' : t.type === 'freshness' ? 'a date or time' : undefined;
  if (!needs || !('column' in t)) return undefined;
  const type = columns.find((c) => c.name === t.column)?.type ?? '';
  if ((needs === 'numbers' ? isNumericType : isTemporalType)(type)) return undefined;
  return {
    column: t.column,
    type,
    needs: `a ${t.type} check needs a column of ${needs}`,
    fix: needs === 'numbers' ? 'pick a numeric column, or cast it in an upstream SQL node' : 'pick a DATE or TIMESTAMP column, or cast it in an upstream SQL node',
  };
}

export async function runTemplateCheck(ctx: NodeContext, template: CheckTemplate): Promise<NodeOutcome> {
  const node = ctx.node;
  const [input, table] = [...ctx.inputs][0] ?? [];
  if (!input || !table) throw new NodeFailure(`check ${node.id} has no input table to check`, undefined, 'give the check one input: the table it checks');
  for (const { column, field } of templateColumns(template)) {
    if (!table.columns.some((c) => c.name === column)) {
      throw new NodeFailure(
        `${field} of check ${node.id}: column "${column}" is not in its input ${input}`,
        undefined,
        `use one of ${input}'s columns: ${table.columns.map((c) => c.name).join(', ')}`,
      );
    }
  }
  const wrongType = templateTypeProblem(template, table.columns);
  if (wrongType) throw new NodeFailure(`template.column of check ${node.id}: column "${wrongType.column}" is ${wrongType.type}; ${wrongType.needs}`, undefined, wrongType.fix);
  const sql = compileTemplate(template, input, templateHistory(template, input, ctx.history ?? NO_HISTORY));
  try {
    const row = await withConnection(ctx.duck, ctx.inputs, ctx.signal, async (c) => {
      const p = await prepareWithParams(c, sql, ctx.params);
      return (await p.runAndReadAll()).getRowObjectsJson()[0];
    });
    const passed = row?.passed === true;
    const message = passed ? undefined : String(row?.message ?? `check ${node.id} failed`);
    return { type: 'check', passed, value: passed, message };
  } catch (e) {
    throw sqlFailure({ ...ctx, node: { ...node, codeFile: `the ${template.type} template` } }, e);
  }
}
