// The run's parameter overrides, one field per parameter of the definition with its
// type, default and description. Values stay in the ui store until the next run.
import { useUi } from '../../stores/ui-store.ts';
import type { ParameterSpec } from '../../stores/api-types.ts';
import { defaultText, toParams } from './param-values.ts';

export function ParamsForm({ workflowId, specs, onRun }: { workflowId: string; specs: Record<string, ParameterSpec>; onRun(): void }) {
  const drafts = useUi((s) => s.paramDrafts[workflowId]) ?? {};
  const setDraft = useUi((s) => s.setParamDraft);
  const reset = useUi((s) => s.resetParamDrafts);
  const names = Object.keys(specs);
  const check = toParams(specs, drafts);
  const errors = check.ok ? {} : check.errors;

  return (
    <form
      className="params-form"
      aria-label="Run parameters"
      onSubmit={(e) => {
        e.preventDefault();
        onRun();
      }}
    >
      <div className="params-head">
        <h3>Parameters</h3>
        <button type="button" className="btn ghost small" onClick={() => reset(workflowId)}>
          Reset to defaults
        </button>
      </div>
      {names.length === 0 && <p className="muted">This workflow has no parameters.</p>}
      {names.map((name) => {
        const spec = specs[name]!;
        const value = drafts[name] ?? defaultText(spec);
        const id = `param-${name}`;
        return (
          <div className="param-row" key={name}>
            <label htmlFor={id}>
              <span className="param-name">{name}</span>
              <span className="param-type">{spec.type}</span>
            </label>
            {spec.type === 'boolean' ? (
              <input id={id} type="checkbox" checked={value === true} onChange={(e) => setDraft(workflowId, name, e.target.checked)} />
            ) : (
              <input
                id={id}
                type={spec.type === 'date' ? 'date' : 'text'}
                inputMode={spec.type === 'integer' || spec.type === 'number' ? 'decimal' : undefined}
                value={String(value)}
                aria-invalid={errors[name] ? true : undefined}
                aria-describedby={`${id}-help`}
                onChange={(e) => setDraft(workflowId, name, e.target.value)}
              />
            )}
            <div className={errors[name] ? 'param-help error' : 'param-help'} id={`${id}-help`}>
              {errors[name] ?? spec.description ?? `default ${spec.default ?? 'none'}`}
            </div>
          </div>
        );
      })}
      <div className="params-actions">
        <button type="submit" className="btn primary" disabled={!check.ok}>
          Run with these values
        </button>
      </div>
    </form>
  );
}
