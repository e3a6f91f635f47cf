// The analysis's rules, each on a small notebook written inline, read by the real Python
// script (it needs no packages, so any Python 3.9+ does).
import { describe, expect, it } from 'vitest';
import { testPython } from '../../test/helpers/python.ts';
import { analyzeNotebook, type NotebookAnalysis } from './analyze-notebook.ts';
import { parseNotebook } from './notebook-file.ts';

function notebook(...cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: cells.map((c) => (c.startsWith('md:') ? { cell_type: 'markdown', metadata: {}, source: c.slice(3) } : { cell_type: 'code', metadata: {}, source: c, outputs: [], execution_count: null })),
  });
}

function analyze(text: string, starts?: number[]): Promise<NotebookAnalysis> {
  return analyzeNotebook(parseNotebook(text, 'test.ipynb'), { python: testPython(), notebookName: 'test.ipynb', baseDir: '/data/project', starts });
}

const edges = (a: NotebookAnalysis) => a.nodes.map((n) => `${n.id}:${n.kind}(${n.inputs.join(',')})`);
const issue = (a: NotebookAnalysis, kind: string) => a.issues.find((i) => i.kind === kind);

describe('notebook analysis', () => {
  it('keeps a fitted model in the node that uses it, and says so when the user splits them', async () => {
    const text = notebook(
      'import pandas as pd\nfrom sklearn.linear_model import LogisticRegression',
      'train = pd.read_parquet("train.parquet")',
      'model = LogisticRegression()\nmodel.fit(train[["x"]], train["y"])',
      'scored = train.assign(p=model.predict_proba(train[["x"]])[:, 1])',
    );
    const suggested = await analyze(text);
    expect(suggested.suggested).toEqual([0, 2]);
    expect(edges(suggested)).toEqual(['train:source()', 'scored:python(train)']);
    expect(suggested.issues).toEqual([]);

    const split = await analyze(text, [0, 2, 3]);
    expect(issue(split, 'global')).toMatchObject({
      cell: 3,
      message: 'model is set here and used in cell 4, in another node; it is not a DataFrame, and nodes pass only DataFrames to each other',
      fix: "keep cell 3 and cell 4 in one node (don't start a node between them), or turn model into a DataFrame column",
    });
  });

  it('names what a notebook used before setting it, or never set', async () => {
    const a = await analyze(notebook('import pandas as pd', 'total = sales.assign(x=1)', 'sales = pd.read_csv("s.csv")', 'out = total.merge(ghost)'));
    expect(issue(a, 'out-of-order')).toMatchObject({ cell: 2, message: 'sales is used here but set only later, in cell 3: the notebook ran its cells out of order' });
    expect(issue(a, 'undefined')).toMatchObject({ cell: 4, fix: 'add a cell that sets ghost and import the notebook again' });
  });

  it('gives one output per node and lists a second DataFrame later cells need', async () => {
    const a = await analyze(notebook(
      'import pandas as pd\nraw = pd.read_csv("raw.csv")',
      'train = raw[raw["split"] == "train"]\ntest = raw[raw["split"] == "test"]\ntrain.to_csv("train.csv")\ntest.to_csv("test.csv")',
    ));
    expect(issue(a, 'multi-output')).toMatchObject({ cell: 2, message: 'train is used after this cell, but its node already hands on test: a node has one output table' });
  });

  it('leaves multi-line strings as written when it indents a cell into run()', async () => {
    const a = await analyze(notebook(
      'import pandas as pd\ndf = pd.read_csv("d.csv")',
      'note = """\nline one\n  line two\n""".strip()\nlabelled = df.assign(note=note)',
      'labelled.to_parquet("out.parquet")',
    ));
    const code = a.nodes.find((n) => n.id === 'labelled')!.code!;
    expect(code).toContain('    note = """\nline one\n  line two\n""".strip()\n    labelled = df.assign(note=note)\n    return labelled');
  });

  it('turns !pip lines into requirements and leaves other IPython lines and broken cells out', async () => {
    const a = await analyze(notebook(
      '%pip install -q "scikit-learn>=1.3" xgboost --upgrade\n!pip install -r extra.txt',
      'import pandas as pd\nfiles = !ls\ndf = pd.read_csv("a.csv")\ndf?',
      'def broken(:\n    pass',
      'big = df[df["n"] > 1]',
      'big.to_csv("big.csv", index=False)',
    ));
    expect(a.requirements).toEqual(['scikit-learn>=1.3', 'xgboost']);
    expect(issue(a, 'magic')).toMatchObject({ cell: 2, message: 'IPython lines left out: files = !ls, df?' });
    expect(issue(a, 'syntax')).toMatchObject({ cell: 3, message: "the cell is not valid Python (line 1: invalid syntax), so it was left out" });
    expect(edges(a)).toEqual(['df:source()', 'big:python(df)', 'big_csv:publish(big)']);
  });

  it('maps to_sql on a PostgreSQL engine to a publish that needs a saved connection, never its password', async () => {
    const a = await analyze(notebook(
      'import pandas as pd\nfrom sqlalchemy import create_engine\nwarehouse = create_engine("postgresql://me:secret@db/analytics")',
      'scores = pd.read_csv("scores.csv")\nscores.to_sql("scores", warehouse, if_exists="replace", index=False)',
    ));
    expect(a.nodes.find((n) => n.kind === 'publish')).toMatchObject({ id: 'scores_postgres', mode: 'replace', destination: { type: 'postgres', connection: 'warehouse', table: 'scores' } });
    expect(JSON.stringify(a)).not.toContain('secret');
    expect(issue(a, 'connection')?.fix).toBe('add connection warehouse under Connections (or with aqueduct connections add)');
  });

  it('masks passwords in the code lines its messages quote', async () => {
    const a = await analyze(notebook(
      'import pandas as pd\nfrom sqlalchemy import create_engine',
      'engine = create_engine("postgresql://me:secret@db/analytics")',
      'orders = pd.read_sql("SELECT * FROM orders", engine)',
    ), [0, 1, 2]);
    const quoted = a.issues.map((i) => i.message).join('\n');
    expect(quoted).toContain('engine = create_engine("postgresql://me:***@db/analytics")');
    expect(quoted).not.toContain('secret');
  });

  it('makes node ids lower_snake_case and binds the notebook names to them', async () => {
    const a = await analyze(notebook('import pandas as pd\nRaw = pd.read_csv("r.csv")', 'X_Train = Raw.dropna()', 'X_Train.to_csv("x.csv", index=False)'));
    expect(edges(a)).toEqual(['raw:source()', 'x_train:python(raw)', 'x_train_csv:publish(x_train)']);
    expect(a.nodes[1]!.code).toContain('def run(raw: pd.DataFrame) -> pd.DataFrame:\n    Raw = raw\n');
  });

  it('imports the code edited in a notebook Aqueduct exported', async () => {
    const cell = (id: string, kind: string, source: string, extra: Record<string, unknown> = {}) => ({
      cell_type: 'code', source, outputs: [], execution_count: null, metadata: { aqueduct: { node: id, kind, inputs: [], spec: {}, ...extra } },
    });
    const text = JSON.stringify({
      nbformat: 4, nbformat_minor: 5, metadata: { aqueduct: { workflow: 'Edited', parameters: { n: { type: 'integer', default: 2 } } } },
      cells: [
        cell('nums', 'python', 'x = 1\n# ---- nodes/nums.py ----\nimport pandas as pd\n\ndef run(n):\n    return pd.DataFrame({"v": range(n * 10)})\n# ---- end of nodes/nums.py ----\nnums = aq.call(run)', { language: 'python' }),
        cell('total', 'sql', 'total = aq.sql(r"""\nSELECT sum(v) AS s FROM nums -- edited\n""", nums=nums)', { language: 'sql', inputs: ['nums'] }),
        { cell_type: 'code', source: 'print("scratch")', metadata: {}, outputs: [], execution_count: null },
      ],
    });
    const a = await analyze(text);
    expect(a.exported).toBe(true);
    expect(a.name).toBe('Edited');
    expect(a.parameters).toEqual({ n: { type: 'integer', default: 2 } });
    expect(a.nodes.map((n) => [n.id, n.code])).toEqual([
      ['nums', 'import pandas as pd\n\ndef run(n):\n    return pd.DataFrame({"v": range(n * 10)})\n'],
      ['total', 'SELECT sum(v) AS s FROM nums -- edited\n'],
    ]);
    expect(issue(a, 'left-out')).toMatchObject({ cell: 3 });
  });
});
