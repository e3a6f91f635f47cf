import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CHURN, copyWorkflow, tempHome } from '../../test/helpers/home.ts';
import { loadWorkflowOrThrow } from './load.ts';
import { saveProblems, saveWorkflow } from './save.ts';

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
    def.nodes = def.nodes.filter((n) => n.id !== 'probabilities_in_range');
    def.nodes.push({ id: 'top_risk', kind: 'sql', inputs: ['predictions'], retries: 0 });
    const r = saveWorkflow(folder, def, { top_risk: 'SELECT * FROM predictions LIMIT 10' });
    expect(r.removed).toEqual(['nodes/probabilities_in_range.sql']);
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

  it('never writes the schedule: a block added to the file after the editor read it stays, comments and all', () => {
    const folder = copyWorkflow(EXAMPLE_CHURN, 'save');
    const file = path.join(folder, 'workflow.yaml');
    const stale = structuredClone(loadWorkflowOrThrow(folder).definition);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^parameters:/m, 'schedule:\n  cron: "0 6 * * *" # mornings\n  timezone: Europe/Berlin\nparameters:'));
    // even a definition that names a schedule of its own does not change it
    saveWorkflow(folder, { ...stale, schedule: { cron: '1 1 * * *' } } as typeof stale, {});
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('cron: "0 6 * * *" # mornings');
    expect(loadWorkflowOrThrow(folder).definition.schedule).toMatchObject({ cron: '0 6 * * *', timezone: 'Europe/Berlin' });
  });

  it('with the document the editor started from, keeps what changed in the file meanwhile and what the editor changed', () => {
    const folder = copyWorkflow(EXAMPLE_CHURN, 'save');
    const file = path.join(folder, 'workflow.yaml');
    const read = loadWorkflowOrThrow(folder);
    const base = { definition: structuredClone(read.definition), code: Object.fromEntries(read.nodes.filter((n) => n.source !== undefined).map((n) => [n.id, n.source!])) };
    // meanwhile, in a text editor: a parameter, another node's description, a new node, and the code of a node
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8')
        .replace('default: 0.5', 'default: 0.7')
        .replace('Scores with a risk band.', 'Written in a text editor.')
        .replace(/^layout:/m, '  - id: extra\n    kind: sql\n    inputs: [predictions]\nlayout:'),
    );
    fs.writeFileSync(path.join(folder, 'nodes', 'extra.sql'), 'SELECT * FROM predictions\n');
    fs.writeFileSync(path.join(folder, 'nodes', 'features.sql'), `${base.code.features}-- from the text editor\n`);
    // in the editor: one node's description, another node's code, a node deleted
    const ours = structuredClone(base.definition);
    ours.nodes = ours.nodes.filter((n) => n.id !== 'probabilities_in_range').map((n) => (n.id === 'churn_model' ? { ...n, description: 'Edited in the app.' } : n));
    delete ours.layout.probabilities_in_range;
    const code: Record<string, string> = { ...base.code, predictions: `${base.code.predictions}-- from the app\n` };
    delete code.probabilities_in_range;
    saveWorkflow(folder, ours, code, { base });

    const now = loadWorkflowOrThrow(folder);
    const node = (id: string) => now.nodes.find((n) => n.id === id);
    expect(now.definition.parameters.high_risk_threshold?.default).toBe(0.7);
    expect(node('predictions')?.description).toBe('Written in a text editor.');
    expect(node('churn_model')?.description).toBe('Edited in the app.');
    expect(node('extra')?.inputs).toEqual(['predictions']);
    expect(node('probabilities_in_range')).toBeUndefined();
    expect(node('features')?.source).toContain('-- from the text editor');
    expect(node('predictions')?.source).toContain('-- from the app');
    expect(fs.existsSync(path.join(folder, 'nodes', 'probabilities_in_range.sql'))).toBe(false);
  });

  it('a blank workflow (no nodes) takes its first node through the merge, keeping a schedule the file gained meanwhile', () => {
    const folder = path.join(tempHome('save-blank'), 'blank');
    fs.mkdirSync(folder, { recursive: true });
    saveWorkflow(folder, { name: 'Blank', nodes: [] }, {});
    const file = path.join(folder, 'workflow.yaml');
    expect(loadWorkflowOrThrow(folder).nodes).toEqual([]);
    const base = { definition: structuredClone(loadWorkflowOrThrow(folder).definition), code: {} };
    // meanwhile the Schedule tab wrote its block
    fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8')}schedule:\n  cron: "0 6 * * *"\n`);
    const ours = { ...base.definition, nodes: [{ id: 'q', kind: 'sql' as const, inputs: [], retries: 0 }], layout: { q: { x: 0, y: 0 } } };
    expect(saveProblems(folder, ours, { q: 'SELECT 1 AS x' }, { base })).toEqual([]);
    expect(saveProblems(folder, ours, {}, { base }).map((p) => p.message)).toEqual(['no code given for node "q"']);
    saveWorkflow(folder, ours, { q: 'SELECT 1 AS x' }, { base });
    const now = loadWorkflowOrThrow(folder);
    expect(now.nodes.map((n) => [n.id, n.source])).toEqual([['q', 'SELECT 1 AS x']]);
    expect(now.definition.schedule?.cron).toBe('0 6 * * *');
    // and back to no nodes: the code file goes, the schedule stays
    saveWorkflow(folder, { ...ours, nodes: [], layout: {} }, {}, { base: { definition: now.definition, code: { q: 'SELECT 1 AS x' } } });
    expect(loadWorkflowOrThrow(folder).nodes).toEqual([]);
    expect(fs.existsSync(path.join(folder, 'nodes', 'q.sql'))).toBe(false);
    expect(loadWorkflowOrThrow(folder).definition.schedule?.cron).toBe('0 6 * * *');
  });
});
