// {{name}} and {{name|format}} in a report's title and text, an email's subject and a
// folder delivery's file name: metric and check values of the report's inputs, workflow
// parameters, and a few facts of the run (workflow, run_id, date). Names are checked when
// the workflow is validated, so a typo is reported before anything runs.
import { formatValue, isColumnFormat } from './format.ts';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*([a-z]+(?::[0-9])?)\s*)?\}\}/g;

/** Facts of every run a placeholder can name besides metrics and parameters. */
export const BUILTIN_PLACEHOLDERS = ['workflow', 'run_id', 'date', 'title'] as const;

export interface PlaceholderUse {
  name: string;
  format?: string;
}

export function placeholdersIn(text: string): PlaceholderUse[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1]!, format: m[2] }));
}

/** Problems with the placeholders of `text`: unknown names and unknown formats, one sentence each. */
export function placeholderProblems(text: string, known: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of placeholdersIn(text)) {
    if (!known.includes(p.name)) out.push(`{{${p.name}}} names no metric or check input, parameter or run fact (known: ${known.join(', ')})`);
    if (p.format && !isColumnFormat(p.format)) out.push(`{{${p.name}|${p.format}}}: "${p.format}" is not a format (use percent, number, integer, text, date or datetime, e.g. percent:1)`);
  }
  return out;
}

/** `text` with every placeholder replaced by its value, formatted; `escape` for HTML. */
export function fillPlaceholders(text: string, values: Record<string, unknown>, escape: (s: string) => string = (s) => s): string {
  return text.replace(PLACEHOLDER, (whole, name: string, format?: string) => (name in values ? escape(formatValue(values[name], format)) : whole));
}
