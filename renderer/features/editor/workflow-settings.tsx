// The workflow's own settings: name, description, and its parameters (name, type,
// default, description) that SQL reads as $name and Python as keyword arguments. Edits
// are undoable like graph edits and saved with the workflow. Below them the Python
// packages, which live in requirements.txt and are saved at once.
import { useState } from 'react';
import { CloseIcon, PlusIcon } from '../../components/icons.tsx';
import { TrashIcon } from '../../components/editor-icons.tsx';
import { useGraph } from '../../stores/graph-store.ts';
import { NODE_ID } from '../../stores/graph-doc.ts';
import type { ParameterSpec } from '../../stores/api-types.ts';
import { WorkflowPeople } from './workflow-people.tsx';
import { PackagesPanel } from '../environments/packages-panel.tsx';

const TYPES: ParameterSpec['type'][] = ['string', 'integer', 'number', 'boolean', 'date'];
type Params = Record<string, ParameterSpec>;

/** A typed default from what was typed; text that is not a number stays text (saving says why). */
function typedDefault(type: ParameterSpec['type'], text: string): ParameterSpec['default'] {
  if (text === '') return undefined;
  if (type === 'integer' || type === 'number') return Number.isFinite(Number(text)) ? Number(text) : text;
  if (type === 'boolean') return text === 'true';
  return text;
}

function ParamRow({ name, spec, params }: { name: string; spec: ParameterSpec; params: Params }) {
  const set = (next: Params, key: string) => useGraph.getState().setWorkflowFields({ parameters: next }, key);
  const [draftName, setDraftName] = useState(name);
  const [nameError, setNameError] = useState<string>();
  const update = (patch: Partial<ParameterSpec>, field: string) => set({ ...params, [name]: { ...spec, ...patch } }, `param:${name}:${field}`);
  const rename = () => {
    const to = draftName.trim();
    if (to === name) return setNameError(undefined);
    if (!NODE_ID.test(to)) return setNameError('use lower_snake_case');
    if (params[to]) return setNameError(`${to} exists`);
    setNameError(undefined);
    set(Object.fromEntries(Object.entries(params).map(([k, v]) => [k === name ? to : k, v])), `param-rename:${name}`);
  };
  const value = spec.default === undefined || spec.default === null ? '' : String(spec.default);

  return (
    <tr>
      <td>
        <input
          type="text"
          className="mono"
          aria-label={`Name of parameter ${name}`}
          aria-invalid={nameError ? true : undefined}
          title={nameError}
          value={draftName}
          onChange={(e) => setDraftName(e.target.value)}
          onBlur={rename}
          onKeyDown={(e) => e.key === 'Enter' && rename()}
        />
      </td>
      <td>
        <select aria-label={`Type of parameter ${name}`} value={spec.type} onChange={(e) => update({ type: e.target.value as ParameterSpec['type'], default: spec.default }, 'type')}>
          {TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </td>
      <td>
        {spec.type === 'boolean' ? (
          <select aria-label={`Default of parameter ${name}`} value={value} onChange={(e) => update({ default: typedDefault('boolean', e.target.value) }, 'default')}>
            <option value="">(none)</option>
            <option value="true">true</option>
            <option value="false">false</option>
          </select>
        ) : (
          <input
            type={spec.type === 'date' ? 'date' : 'text'}
            aria-label={`Default of parameter ${name}`}
            value={value}
            onChange={(e) => update({ default: typedDefault(spec.type, e.target.value) }, 'default')}
          />
        )}
      </td>
      <td>
        <input type="text" aria-label={`Description of parameter ${name}`} value={spec.description ?? ''} onChange={(e) => update({ description: e.target.value || undefined }, 'description')} />
      </td>
      <td>
        <button
          type="button"
          className="btn ghost small icon-btn"
          aria-label={`Remove parameter ${name}`}
          onClick={() => set(Object.fromEntries(Object.entries(params).filter(([k]) => k !== name)), `param-remove:${name}`)}
        >
          <TrashIcon />
        </button>
      </td>
    </tr>
  );
}

export function WorkflowSettings({ onClose }: { onClose(): void }) {
  const definition = useGraph((s) => s.doc?.definition);
  const workflowId = useGraph((s) => s.workflowId);
  if (!definition) return null;
  const params = definition.parameters;
  const setFields = useGraph.getState().setWorkflowFields;
  const addParam = () => {
    let n = 1;
    while (params[`param_${n}`]) n++;
    setFields({ parameters: { ...params, [`param_${n}`]: { type: 'string' } } });
  };

  return (
    <div className="workflow-settings">
      <div className="params-head">
        <h3>Workflow settings</h3>
        <button className="btn ghost small icon-btn" aria-label="Close workflow settings" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <label className="field">
        <span>Name</span>
        <input type="text" value={definition.name} onChange={(e) => setFields({ name: e.target.value }, 'name')} />
      </label>
      <label className="field">
        <span>Description</span>
        <textarea rows={2} value={definition.description ?? ''} onChange={(e) => setFields({ description: e.target.value || undefined }, 'description')} />
      </label>
      <WorkflowPeople />
      <div className="field">
        <span id="params-label">Parameters</span>
        {Object.keys(params).length === 0 ? (
          <p className="muted">None yet. SQL reads a parameter as $name; Python receives it as an argument of run().</p>
        ) : (
          <table className="settings-table" aria-labelledby="params-label">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Default</th>
                <th scope="col">Description</th>
                <th scope="col">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(params).map(([name, spec]) => (
                <ParamRow key={name} name={name} spec={spec} params={params} />
              ))}
            </tbody>
          </table>
        )}
        <div>
          <button type="button" className="btn small" onClick={addParam}>
            <PlusIcon /> Add parameter
          </button>
        </div>
      </div>
      {workflowId && <PackagesPanel workflowId={workflowId} />}
    </div>
  );
}
