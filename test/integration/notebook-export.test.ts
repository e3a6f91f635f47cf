// Workflows out to notebooks and back: a run of the churn example exported as a notebook is
// valid nbformat 4 (checked by the nbformat package), runs top to bottom in Python with
// pandas and duckdb and reproduces the run's tables and metrics; one node's cell runs on
// its own from the run's Parquet; and importing the notebook again gives the same
// workflow, whose run gives the same tables.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../runner/api/types.ts';
import type { Engine } from '../../runner/engine.ts';
import { exportNotebook, writeNotebook, type NotebookJson } from '../../runner/notebooks/export-notebook.ts';
import { importNotebook } from '../../runner/notebooks/import-notebook.ts';
import { readNotebookFile } from '../../runner/notebooks/notebook-file.ts';
import { appOnlyNodes } from '../../runner/engines/portability.ts';
import { loadWorkflowOrThrow } from '../../runner/spec/load.ts';
import { copyWorkflow, EXAMPLE_CHURN } from '../helpers/home.ts';
import { notebookScalars, runNotebookCode, tableRows, validateWithNbformat } from '../helpers/notebooks.ts';
import { testPython } from '../helpers/python.ts';
import { openTestEngine } from '../helpers/workflows.ts';

describe('exporting a workflow as a notebook', () => {
  let engine: Engine;
  let folder: string;
  let run: RunDetail;
  beforeAll(async () => {
    engine = await openTestEngine('notebook-export');
    folder = copyWorkflow(EXAMPLE_CHURN, 'nb-export-churn');
    run = await engine.run(folder, { params: { high_risk_threshold: 0.3 } });
    expect(run.status).toBe('succeeded');
  });
  afterAll(async () => engine?.close());

  const artifact = (r: RunDetail, id: string) => r.nodes.find((n) => n.nodeId === id)!.artifactPath!;
  /** Values compared as numbers: pandas turns an integer column with missing values into floats. */
  const asNumbers = (rows: Record<string, unknown>[]) =>
    rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v])));

  it("writes valid nbformat 4 with one cell per node that reads the run's Parquet, and runs top to bottom", async () => {
    const r = exportNotebook(engine.store, engine.paths, folder, run.id.slice(0, 8));
    expect(r.runId).toBe(run.id);
    const file = writeNotebook(path.join(path.dirname(folder), r.fileName), r.notebook);
    validateWithNbformat(file);

    const nodeCells = r.notebook.cells.filter((c) => c.cell_type === 'code' && (c.metadata.aqueduct as { node?: string } | undefined)?.node);
    expect(nodeCells.map((c) => (c.metadata.aqueduct as { node: string }).node)).toEqual([
      'customers', 'features', 'churn_model', 'predictions', 'no_missing_scores', 'probabilities_in_range',
      'mean_churn_probability', 'scored_customers', 'predictions_csv', 'predictions_duckdb', 'churn_by_band',
    ]);
    // the report and its deliveries run in the app only
    expect(r.notebook.cells.at(-1)!.source.join('')).toBe('Left out (they run in the Aqueduct app only): `churn_report`, `report_to_folder`, `email_report`.');
    const setup = r.notebook.cells[1]!.source.join('');
    expect(setup).toContain(`"predictions": ${JSON.stringify(artifact(run, 'predictions'))}`);
    expect(setup).toContain('PARAMS = {"min_tenure_months": 0, "high_risk_threshold": 0.3}');

    runNotebookCode(path.dirname(file), path.basename(file), ['features', 'predictions', 'mean_churn_probability', 'no_missing_scores']);
    const out = path.join(path.dirname(file), '.notebook-out');
    expect(await tableRows(engine.duck, path.join(out, 'predictions.parquet'))).toEqual(await tableRows(engine.duck, artifact(run, 'predictions')));
    expect(asNumbers(await tableRows(engine.duck, path.join(out, 'features.parquet')))).toEqual(asNumbers(await tableRows(engine.duck, artifact(run, 'features'))));
    const scalars = notebookScalars(path.dirname(file));
    expect(scalars.no_missing_scores).toBe(true);
    expect(scalars.mean_churn_probability).toBeCloseTo(run.metrics.find((m) => m.nodeId === 'mean_churn_probability')!.value!, 12);
  });

  it("runs one node's cell on its own from the run's outputs", async () => {
    const r = exportNotebook(engine.store, engine.paths, folder, run.id);
    const predictionsCell = r.notebook.cells.find((c) => (c.metadata.aqueduct as { node?: string } | undefined)?.node === 'predictions')!;
    const alone: NotebookJson = { ...r.notebook, cells: [r.notebook.cells[1]!, predictionsCell] };
    const file = writeNotebook(path.join(path.dirname(folder), 'alone', 'predictions.ipynb'), alone);
    runNotebookCode(path.dirname(file), path.basename(file), ['predictions']);
    expect(await tableRows(engine.duck, path.join(path.dirname(file), '.notebook-out', 'predictions.parquet'))).toEqual(await tableRows(engine.duck, artifact(run, 'predictions')));
  });

  it('imports the exported notebook back as the same workflow, which computes the same tables', async () => {
    const r = exportNotebook(engine.store, engine.paths, folder, run.id);
    const file = writeNotebook(path.join(path.dirname(folder), 'roundtrip', r.fileName), r.notebook);
    const back = path.join(path.dirname(folder), 'roundtrip', 'workflow');
    const imported = await importNotebook(readNotebookFile(file), { python: testPython(), notebookName: r.fileName, baseDir: path.dirname(file), out: back });
    expect(imported.issues).toEqual([]);
    expect(imported.copied).toEqual(['data/customers.csv']);

    const before = loadWorkflowOrThrow(folder);
    const after = loadWorkflowOrThrow(back);
    const appOnly = new Set(appOnlyNodes(before.nodes).map((r) => r.nodeId));
    const shape = (w: typeof before) => w.nodes.filter((n) => !appOnly.has(n.id)).map((n) => ({ id: n.id, kind: n.kind, inputs: n.inputs, language: n.language, source: n.source?.trimEnd(), description: n.description }));
    expect(shape(after)).toEqual(shape(before));
    expect(after.definition.parameters).toEqual(before.definition.parameters);
    expect(after.definition.name).toBe(before.definition.name);

    const again = await engine.run(back, { params: { high_risk_threshold: 0.3 } });
    expect(again.status).toBe('succeeded');
    expect(await tableRows(engine.duck, artifact(again, 'predictions'))).toEqual(await tableRows(engine.duck, artifact(run, 'predictions')));
    expect(await tableRows(engine.duck, path.join(back, 'out/churn_predictions.csv'))).toEqual(await tableRows(engine.duck, path.join(folder, 'out/churn_predictions.csv')));
  });

  it('without a run of the current files, every cell computes its table from the cells above', async () => {
    const fresh = copyWorkflow(EXAMPLE_CHURN, 'nb-export-fresh');
    const r = exportNotebook(engine.store, engine.paths, fresh);
    expect(r.runId).toBeNull();
    expect(r.notebook.cells[1]!.source.join('')).toContain('OUTPUTS = {}');
    const file = writeNotebook(path.join(fresh, '..', r.fileName), r.notebook);
    runNotebookCode(path.dirname(file), path.basename(file), ['predictions']);
    const later = await engine.run(fresh);
    expect(await tableRows(engine.duck, path.join(path.dirname(file), '.notebook-out', 'predictions.parquet'))).toEqual(await tableRows(engine.duck, artifact(later, 'predictions')));
    expect(fs.existsSync(path.join(fresh, 'out'))).toBe(true); // the engine published; the notebook never does
  });

  it('refuses a run of another workflow and an unknown run, saying what to do', () => {
    const other = copyWorkflow(EXAMPLE_CHURN, 'nb-export-other');
    engine.openWorkflow(other);
    expect(() => exportNotebook(engine.store, engine.paths, other, run.id)).toThrow(`run ${run.id} belongs to another workflow`);
    expect(() => exportNotebook(engine.store, engine.paths, folder, 'ffffffff')).toThrow('no run ffffffff in the history');
  });
});
