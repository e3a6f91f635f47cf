// Parameter overrides as typed in the run form (strings, checkboxes) turned into the
// values the runner expects. Only fields the user changed are sent; the rest keep the
// workflow's defaults. A bad number is reported here instead of failing the run.
import type { ParameterSpec, ParamValue } from '../../stores/api-types.ts';

export type ParamDraft = Record<string, string | boolean>;

export type ParamResult = { ok: true; params: Record<string, ParamValue> } | { ok: false; errors: Record<string, string> };

export function defaultText(spec: ParameterSpec): string | boolean {
  if (spec.type === 'boolean') return spec.default === true;
  return spec.default === undefined || spec.default === null ? '' : String(spec.default);
}

export function toParams(specs: Record<string, ParameterSpec>, draft: ParamDraft): ParamResult {
  const params: Record<string, ParamValue> = {};
  const errors: Record<string, string> = {};
  for (const [name, raw] of Object.entries(draft)) {
    const spec = specs[name];
    if (!spec || raw === defaultText(spec)) continue;
    if (spec.type === 'boolean') {
      params[name] = raw === true;
      continue;
    }
    const text = String(raw).trim();
    if (spec.type === 'integer' || spec.type === 'number') {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) errors[name] = 'enter a number';
      else if (spec.type === 'integer' && !Number.isInteger(n)) errors[name] = 'enter a whole number';
      else params[name] = n;
    } else if (spec.type === 'date' && text !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(text)) {
      errors[name] = 'enter a date as YYYY-MM-DD';
    } else {
      params[name] = text;
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, params };
}
