import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CHURN, copyWorkflow } from '../../test/helpers/home.ts';
import { loadWorkflowOrThrow } from './load.ts';
import { saveWorkflow } from './save.ts';

describe('saving a workflow', () => {
  it('round-trips: what is saved loads back the same, and comments a user wrote survive', () => {
    const folder = copyWorkflow(EXAMPLE_CHURN, 'save');
    const w = loadWorkflowOrThrow(folder);
    const def = structuredClone(w.definition);
    def.layout.customers = { x: 10, y: 20 };
    def.nodes.find((n) => n.id === 'features')!.description = 'Edited in the visual editor';
    const code = { predictions: 'SELECT * FROM churn_model WHERE churn_probability >= 0\n' };
    const r = saveWorkflow(folder, def, code);
    expect(r.written.sort()).toEqual(['nodes/predictions.sql', 'workflow.yaml']);
    const text = fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8');
    expect(text).toContain('# Customer churn: score every customer');
    expect(text).toContain('Edited in the visual editor');
    expect(text).not.toContain('retries: 0');
    const again = loadWorkflowOrThrow(folder);
    expect(again.definition.layout.customers).toEqual({ x: 10, y: 20 });
    expect(again.nodes.find((n) => n.id === 'predictions')!.source).toBe(code.predictions);
  });

  it('adds a node with its code file and removes the file of a deleted node', () => {
    const folder = copyWorkflow(EXAMPLE_CHURN, 'save');
    const w = loadWorkflowOrThrow(folder);
    const def = structuredClone(w.definition);
    def.nodes = def.nodes.filter((n) => n.id !== 'scored_customers');
    def.nodes.push({ id: 'top_risk', kind: 'sql', inputs: ['predictions'], retries: 0 });
    const r = saveWorkflow(folder, def, { top_risk: 'SELECT * FROM predictions LIMIT 10' });
    expect(r.removed).toEqual(['nodes/scored_customers.sql']);
    expect(fs.existsSync(path.join(folder, 'nodes/top_risk.sql'))).toBe(true);
    expect(loadWorkflowOrThrow(folder).nodes.map((n) => n.id)).toContain('top_risk');
  });

  it('writes nothing when the result would be invalid', () => {
    const folder = copyWorkflow(EXAMPLE_CHURN, 'save');
    const before = fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8');
    const def = structuredClone(loadWorkflowOrThrow(folder).definition);
    def.nodes.find((n) => n.id === 'customers')!.inputs = ['predictions'];
    expect(() => saveWorkflow(folder, def, {})).toThrow(/cycle/);
    expect(fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8')).toBe(before);
  });
});
