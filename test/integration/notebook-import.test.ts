// Notebooks in, workflows out: the committed notebooks (pandas cleaning → model →
// predictions with markdown, a plot and a !pip line; a sales notebook with hidden state,
// a %%bash cell, a helper function and a SQLite publish) are imported, the workflows run
// on the real engine, and their tables are compared with what the notebooks compute when
// Python executes them.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../runner/engine.ts';
import { readLock } from '../../runner/envs/requirements-file.ts';
import { importNotebook } from '../../runner/notebooks/import-notebook.ts';
import { readNotebookFile } from '../../runner/notebooks/notebook-file.ts';
import { loadWorkflowOrThrow } from '../../runner/spec/load.ts';
import { copyFixture, runNotebookCode, tableRows } from '../helpers/notebooks.ts';
import { testPython } from '../helpers/python.ts';
import { openTestEngine } from '../helpers/workflows.ts';

describe('importing a notebook', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('notebook-import');
  });
  afterAll(async () => engine?.close());

  const artifact = (run: { nodes: { nodeId: string; artifactPath?: string }[] }, id: string) => run.nodes.find((n) => n.nodeId === id)!.artifactPath!;

  it('makes the churn notebook source → clean → predictions → CSV publish, and the workflow computes what the notebook computes', async () => {
    const nbDir = copyFixture('churn');
    const folder = path.join(engine.paths.home, 'workflows', 'churn');
    const r = await importNotebook(readNotebookFile(path.join(nbDir, 'churn.ipynb')), {
      python: testPython(), notebookName: 'churn.ipynb', baseDir: nbDir, out: folder,
    });

    expect(r.nodes).toEqual([
      { id: 'customers', kind: 'source', inputs: [] },
      { id: 'clean', kind: 'python', inputs: ['customers'] },
      { id: 'predictions', kind: 'python', inputs: ['clean'] },
      { id: 'predictions_csv', kind: 'publish', inputs: ['predictions'] },
    ]);
    expect(r.copied).toEqual(['data/customers.csv']);
    expect(fs.readFileSync(path.join(folder, 'requirements.txt'), 'utf8')).toMatch(/^scikit-learn$/m);
    const kinds = r.issues.map((i) => `${i.kind}@${i.cell}`);
    expect(kinds).toEqual(expect.arrayContaining(['pip@2', 'magic@9', 'plot@9', 'left-out@14', 'display@null']));
    expect(fs.readFileSync(path.join(folder, 'IMPORT-NOTES.md'), 'utf8')).toContain('the plot (clean["monthly_charges"].hist(bins=30)) was left out');

    const w = loadWorkflowOrThrow(folder);
    expect(w.definition.name).toBe('Customer churn');
    const byId = Object.fromEntries(w.nodes.map((n) => [n.id, n]));
    expect(byId.clean!.description).toMatch(/^Clean\n\nDrop customers without a tenure/);
    expect(byId.predictions!.source).toMatch(/^from sklearn\.linear_model import LogisticRegression$/m);
    expect(byId.predictions!.source).not.toMatch(/matplotlib|plt\./);
    expect(byId.predictions_csv).toMatchObject({ destination: { type: 'csv', path: 'out/predictions.csv' } });

    const run = await engine.run(folder);
    expect(run.status).toBe('succeeded');
    // the !pip line's package was locked, and the run used the app-owned environment built from that lock
    const lock = readLock(folder)!;
    expect(lock.packages.map((p) => p.name)).toContain('scikit-learn');
    expect(run.lockHash).toBe(lock.hash);

    const fromNotebook = runNotebookCode(nbDir, 'churn.ipynb', ['clean', 'predictions']);
    const predictions = await tableRows(engine.duck, artifact(run, 'predictions'));
    expect(predictions.length).toBeGreaterThan(300);
    expect(predictions).toEqual(await tableRows(engine.duck, fromNotebook.predictions!));
    expect(await tableRows(engine.duck, artifact(run, 'clean'))).toEqual(await tableRows(engine.duck, fromNotebook.clean!));
    expect(await tableRows(engine.duck, path.join(folder, 'out/predictions.csv'))).toEqual(await tableRows(engine.duck, path.join(nbDir, 'out/predictions.csv')));
  });

  it('follows the cells the user marks instead of the suggestion', async () => {
    const nbDir = copyFixture('churn');
    const folder = path.join(engine.paths.home, 'workflows', 'churn-marked');
    // nodes begin at cell 1 and at the "## Model" markdown (cell 10): cleaning joins the source's group
    const r = await importNotebook(readNotebookFile(path.join(nbDir, 'churn.ipynb')), {
      python: testPython(), notebookName: 'churn.ipynb', baseDir: nbDir, out: folder, starts: [0, 9],
    });
    expect(r.nodes.map((n) => `${n.id}(${n.inputs.join(',')})`)).toEqual(['customers()', 'clean(customers)', 'predictions(clean)', 'predictions_csv(predictions)']);
    // the makedirs line now sits in the predictions node, so nothing is left out there
    expect(r.issues.map((i) => i.kind)).not.toContain('left-out');
    const run = await engine.run(folder);
    expect(run.status).toBe('succeeded');
    const fromNotebook = runNotebookCode(nbDir, 'churn.ipynb', ['predictions']);
    expect(await tableRows(engine.duck, artifact(run, 'predictions'))).toEqual(await tableRows(engine.duck, fromNotebook.predictions!));
  });

  it('lists hidden state, a %%bash cell and read options, copies the helper function, and publishes to SQLite what the notebook wrote', async () => {
    const nbDir = copyFixture('sales');
    const folder = path.join(engine.paths.home, 'workflows', 'sales');
    const r = await importNotebook(readNotebookFile(path.join(nbDir, 'sales.ipynb')), {
      python: testPython(), notebookName: 'sales.ipynb', baseDir: nbDir, out: folder,
    });
    expect(r.nodes.map((n) => `${n.id}(${n.inputs.join(',')})`)).toEqual([
      'regions()', 'orders()', 'df(orders,regions)', 'df_2(df)', 'summary(df_2)', 'summary_sqlite(summary)',
    ]);
    const issue = (kind: string) => r.issues.find((i) => i.kind === kind);
    expect(issue('hidden-state')).toMatchObject({ cell: 6, message: expect.stringContaining('df is changed in cells 6 and 10') });
    expect(issue('cell-magic')).toMatchObject({ cell: 7, message: 'a %%bash cell is not Python, so it was left out' });
    expect(issue('source-options')).toMatchObject({ cell: 3, message: expect.stringContaining("sep=...") });
    expect(issue('publish-mode')?.fix).toBe("set the publish node's mode to replace or append to run the workflow more than once");
    const w = loadWorkflowOrThrow(folder);
    const code = Object.fromEntries(w.nodes.map((n) => [n.id, n.source ?? '']));
    for (const id of ['df', 'summary']) expect(code[id]).toContain('def add_margin(frame):');
    expect(code.summary).toMatch(/^ {4}df = df_2$/m);
    expect(w.nodes.find((n) => n.id === 'summary_sqlite')).toMatchObject({ mode: 'fail_if_exists', destination: { type: 'sqlite', path: 'sales.db', table: 'summary' } });

    const run = await engine.run(folder);
    expect(run.status).toBe('succeeded');
    const fromNotebook = runNotebookCode(nbDir, 'sales.ipynb', ['summary']);
    expect(await tableRows(engine.duck, artifact(run, 'summary'))).toEqual(await tableRows(engine.duck, fromNotebook.summary!));
    const read = (file: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('SELECT region, revenue, cost, margin FROM summary ORDER BY region').all();
      } finally {
        db.close();
      }
    };
    expect(read(path.join(folder, 'sales.db'))).toEqual(read(path.join(nbDir, 'sales.db')));
  });

  it('keeps a source whose data file it cannot find, and says where to put the file', async () => {
    const nbDir = copyFixture('churn');
    const folder = path.join(engine.paths.home, 'workflows', 'churn-uploaded');
    // as uploaded in a browser: no folder to find data/customers.csv in
    const r = await importNotebook(readNotebookFile(path.join(nbDir, 'churn.ipynb')), { python: testPython(), notebookName: 'churn.ipynb', out: folder });
    expect(r.copied).toEqual([]);
    expect(r.issues.find((i) => i.kind === 'source-missing')).toEqual({
      kind: 'source-missing', cell: 5, line: null,
      message: 'data/customers.csv, read by node customers, could not be found: the notebook came without the folder of its data files',
      fix: "give the notebook's folder, or copy the file to data/customers.csv in the workflow folder after importing",
    });
    fs.cpSync(path.join(nbDir, 'data'), path.join(folder, 'data'), { recursive: true });
    expect((await engine.run(folder)).status).toBe('succeeded');
  });

  it('refuses a folder that is not empty and a file that is not a notebook, saying what to do', async () => {
    const nbDir = copyFixture('churn');
    const nb = readNotebookFile(path.join(nbDir, 'churn.ipynb'));
    await expect(importNotebook(nb, { python: testPython(), notebookName: 'churn.ipynb', out: nbDir })).rejects.toMatchObject({
      message: `${nbDir} is not empty`, fix: 'choose an empty or new folder for the workflow',
    });
    fs.writeFileSync(path.join(nbDir, 'notes.ipynb'), '{"cells": "none"}');
    expect(() => readNotebookFile(path.join(nbDir, 'notes.ipynb'))).toThrow('notes.ipynb is not a notebook Aqueduct can read (at nbformat)');
  });
});
