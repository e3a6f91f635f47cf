// The document survives the trip to disk and back: what the editor saves through the real
// save (runner/spec/save.ts) reads back (runner/api/workflow-document.ts) as the same
// document, including code, languages, renamed nodes and a Python check.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveWorkflow } from '../../runner/spec/save.ts';
import { readWorkflowDocument } from '../../runner/api/workflow-document.ts';
import { docFromDetail, savePayload, type GraphDoc } from './graph-doc.ts';
import * as ops from './graph-ops.ts';

function roundTrip(folder: string, doc: GraphDoc): GraphDoc {
  const p = savePayload(doc);
  saveWorkflow(folder, p.definition, p.code);
  const read = readWorkflowDocument(folder);
  expect(read.problems).toEqual([]);
  return docFromDetail({ ...read, summary: {} as never })!;
}

describe('file round trip', () => {
  it('saves and reads back the same document after edits', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-doc-'));
    fs.writeFileSync(path.join(folder, 'numbers.csv'), 'grp,amount\na,1\n');
    fs.writeFileSync(path.join(folder, 'workflow.yaml'), '# my workflow\nname: t\nnodes:\n  - id: numbers\n    kind: source\n    file: numbers.csv\n');
    const first = docFromDetail({ ...readWorkflowDocument(folder), summary: {} as never })!;

    let d = ops.addNode(first, 'sql', { x: 300, y: 0 }).doc;
    d = (ops.connect(d, 'numbers', 'sql_1') as { doc: GraphDoc }).doc;
    d = ops.setCode(d, 'sql_1', 'SELECT grp, sum(amount) AS total FROM numbers GROUP BY grp');
    d = ops.addNode(d, 'check', { x: 600, y: 0 }).doc;
    d = (ops.connect(d, 'sql_1', 'check_1') as { doc: GraphDoc }).doc;
    d = ops.setLanguage(d, 'check_1', 'python');
    d = ops.moveNodes(d, { numbers: { x: 0, y: 0 } });
    d = ops.setWorkflowFields(d, { parameters: { min_total: { type: 'number', default: 1 } } });
    const back = roundTrip(folder, d);
    expect(back).toEqual(d);
    expect(fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8')).toMatch(/^# my workflow/);
    expect(fs.existsSync(path.join(folder, 'nodes', 'check_1.py'))).toBe(true);

    // rename: the code file follows, the old one goes
    const renamed = ops.renameNode(back, 'sql_1', 'totals');
    if (!renamed.ok) throw new Error(renamed.reason);
    const again = roundTrip(folder, renamed.doc);
    expect(again).toEqual(renamed.doc);
    expect(fs.readdirSync(path.join(folder, 'nodes')).sort()).toEqual(['check_1.py', 'totals.sql']);
    expect(again.code.check_1).toBe('def run(totals):\n    """Return True when the data is as expected."""\n    return len(totals) > 0\n');
  });
});
