// What `validate` says about broken workflow folders: one sentence per problem, naming
// the node and the field and saying what to write instead; never a library's wording.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../../test/helpers/home.ts';
import { readWorkflowDocument } from '../api/workflow-document.ts';
import { readScheduleBlock } from '../schedule/file-sync.ts';
import { loadWorkflow } from './load.ts';
import { saveWorkflow } from './save.ts';
import { WorkflowInvalidError, formatProblem, type SpecProblem } from './workflow.ts';

function folderWith(yaml: string, files: Record<string, string> = {}): string {
  const dir = tempHome('spec-bad');
  fs.writeFileSync(path.join(dir, 'workflow.yaml'), yaml);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function problemsOf(dir: string): SpecProblem[] {
  const r = loadWorkflow(dir);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
}

const problems = (yaml: string, files: Record<string, string> = {}) => problemsOf(folderWith(yaml, files));
const SOURCE = '  - {id: a, kind: source, file: data/a.csv}\n';

describe('schema problems read as sentences', () => {
  it('a missing required field "is required" and shows what to add', () => {
    const p = problems(`name: w\nnodes:\n${SOURCE}  - {id: out, kind: publish, inputs: [a], destination: {path: out/a.csv}}\n`);
    expect(p).toEqual([{ file: 'workflow.yaml', nodeId: 'out', field: 'nodes[1].destination.type', message: 'destination.type is required', fix: 'add e.g. type: csv' }]);
    expect(formatProblem(p[0]!)).toBe('workflow.yaml, node "out", field nodes[1].destination.type: destination.type is required (fix: add e.g. type: csv)');
    expect(problems(`nodes:\n${SOURCE}`)).toMatchObject([{ field: 'name', message: 'name is required', fix: 'add e.g. name: My workflow' }]);
    expect(problems(`name: w\nparameters:\n  n: {default: 1}\nnodes:\n${SOURCE}`)).toMatchObject([{ field: 'parameters.n.type', message: 'parameters.n.type is required', fix: 'add e.g. type: string (one of string, integer, number, boolean, date)' }]);
    expect(problems('name: w\nnodes:\n  - {kind: sql}\n')).toMatchObject([{ field: 'nodes[0].id', message: 'id is required', fix: 'add e.g. id: my_node' }]);
    expect(problems('name: w\nnodes:\n  - {id: a}\n')).toMatchObject([{ nodeId: 'a', field: 'nodes[0].kind', message: 'kind is required', fix: 'add e.g. kind: sql (one of source, sql, python, check, metric, publish, report)' }]);
  });

  it('a value of the wrong type says what it must be and what it was', () => {
    const p = problems(`name: w\nnodes:\n${SOURCE}  - {id: b, kind: sql, inputs: a, timeout: soon}\n`, { 'nodes/b.sql': 'select 1' });
    expect(p).toEqual([
      { file: 'workflow.yaml', nodeId: 'b', field: 'nodes[1].inputs', message: 'inputs must be a list, not the text "a"', fix: 'write e.g. inputs: [upstream_node]' },
      { file: 'workflow.yaml', nodeId: 'b', field: 'nodes[1].timeout', message: 'timeout must be a number, not the text "soon"', fix: 'write e.g. timeout: 300' },
    ]);
    expect(problems('name: w\nnodes: 5\n')).toMatchObject([{ field: 'nodes', message: 'nodes must be a list, not the number 5' }]);
    expect(problems('name: w\nnodes:\n  - just text\n')).toMatchObject([{ field: 'nodes[0]', message: 'nodes[0] must be a mapping (key: value lines), not the text "just text"' }]);
  });

  it('a value outside a fixed set lists the allowed ones', () => {
    const p = problems(`name: w\nnodes:\n${SOURCE}  - {id: c, kind: check, inputs: [a], severity: fatal}\n`, { 'nodes/c.sql': 'select true' });
    expect(p).toEqual([{ file: 'workflow.yaml', nodeId: 'c', field: 'nodes[1].severity', message: 'severity "fatal" is not one of error, warning', fix: 'use one of: error, warning' }]);
  });

  it('an unknown field is named at its own path, with the likely intended field', () => {
    const p = problems(`name: w\nnodes:\n${SOURCE}  - {id: b, kind: sql, inpts: [a]}\n`, { 'nodes/b.sql': 'select 1' });
    expect(p).toEqual([{ file: 'workflow.yaml', nodeId: 'b', field: 'nodes[1].inpts', message: 'unknown field inpts', fix: 'did you mean inputs? A sql node has the fields id, kind, description, inputs, timeout, retries, code' }]);
    expect(problems(`name: w\ncolour: red\nnodes:\n${SOURCE}`)).toMatchObject([{ field: 'colour', message: 'unknown field colour' }]);
  });

  it('out-of-range numbers, empty text and badly formed ids say the rule', () => {
    const p = problems(`name: ""\nnodes:\n  - {id: Bad-Id, kind: source, file: data/a.csv, retries: 11, timeout: 0}\n`);
    expect(p.map((x) => [x.field, x.message, x.fix])).toEqual([
      ['name', 'name must not be empty', 'add e.g. name: My workflow'],
      ['nodes[0].id', 'id "Bad-Id" must be lower_snake_case (letters, digits, _), starting with a letter or _', 'write e.g. id: bad_id'],
      ['nodes[0].timeout', 'timeout must be above 0', 'write e.g. timeout: 300'],
      ['nodes[0].retries', 'retries must be at most 10', 'write e.g. retries: 1'],
    ]);
  });

  it('an empty or non-mapping workflow.yaml says so', () => {
    expect(problems('')).toMatchObject([{ file: 'workflow.yaml', message: 'workflow.yaml is empty', fix: 'write at least name: and nodes: (see the README for the format)' }]);
    expect(problems('- a\n- b\n')).toMatchObject([{ message: 'workflow.yaml must be a mapping with name: and nodes:, not a list' }]);
  });

  it('a NUL character in a path is refused before anything touches the file system', () => {
    const p = problems(`name: w\nnodes:\n  - {id: a, kind: source, file: "data/a\\0.csv"}\n  - {id: out, kind: publish, inputs: [a], destination: {type: csv, path: "out/a\\0b.csv"}}\n`);
    expect(p).toEqual([
      { file: 'workflow.yaml', nodeId: 'a', field: 'nodes[0].file', message: 'file contains a NUL character, which no file name can hold', fix: 'remove the \\0 from the path' },
      { file: 'workflow.yaml', nodeId: 'out', field: 'nodes[1].destination.path', message: 'destination.path contains a NUL character, which no file name can hold', fix: 'remove the \\0 from the path' },
    ]);
  });
  it('the scheduler reading a schedule block words its problems the same way', () => {
    const dir = folderWith(`name: w\nschedule: {timezone: UTC, catchup: all}\nnodes:\n${SOURCE}`);
    expect(() => readScheduleBlock(dir)).toThrow(
      'workflow.yaml, field schedule.cron: schedule.cron is required (fix: add e.g. cron: "0 6 * * *"); workflow.yaml, field schedule.catchup: schedule.catchup "all" is not one of skip, once, each (fix: use one of: skip, once, each)',
    );
  });
});

describe('problems the schema cannot see', () => {
  it('code: naming a folder is a problem of that node, not a crash', () => {
    const dir = folderWith('name: w\nnodes:\n  - {id: q, kind: sql, code: nodes}\n');
    fs.mkdirSync(path.join(dir, 'nodes'), { recursive: true });
    expect(problemsOf(dir)).toEqual([{ file: 'workflow.yaml', nodeId: 'q', field: 'nodes[0].code', message: 'code nodes is a folder, not a file', fix: 'set code: to a .sql or .py file, e.g. nodes/q.sql' }]);
  });

  it('the editor opens such a folder, and a save from it is refused with the same sentence', () => {
    const dir = folderWith('name: w\nnodes:\n  - {id: q, kind: sql, code: nodes}\n');
    fs.mkdirSync(path.join(dir, 'nodes'), { recursive: true });
    expect(readWorkflowDocument(dir).problems).toMatchObject([{ nodeId: 'q', message: 'code nodes is a folder, not a file' }]);
    let thrown: unknown;
    try {
      saveWorkflow(dir, { name: 'w', nodes: [{ id: 'q', kind: 'sql', code: 'nodes' }] }, { q: 'select 1' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(WorkflowInvalidError);
    expect((thrown as WorkflowInvalidError).problems).toEqual([{ file: 'workflow.yaml', nodeId: 'q', field: 'nodes[0].code', message: 'code nodes is a folder, not a file', fix: 'set code: to a .sql or .py file, e.g. nodes/q.sql' }]);
    expect(fs.statSync(path.join(dir, 'nodes')).isDirectory()).toBe(true);
  });

  it('a save from the editor words schema problems the same way as validate', () => {
    const dir = folderWith(`name: w\nnodes:\n${SOURCE}`);
    expect(() => saveWorkflow(dir, { name: 'w', nodes: [{ id: 'a', kind: 'source', file: 'data/a.csv', timeout: 'soon' as unknown as number }] }, {}))
      .toThrow('workflow.yaml, node "a", field nodes[0].timeout: timeout must be a number, not the text "soon" (fix: write e.g. timeout: 300)');
  });

  it('a $parameter the SQL uses but the workflow does not declare', () => {
    const yaml = `name: w\nparameters:\n  since: {type: date, default: "2024-01-01"}\nnodes:\n${SOURCE}  - {id: q, kind: sql, inputs: [a]}\n  - {id: enough, kind: check, inputs: [q]}\n`;
    const p = problems(yaml, {
      'nodes/q.sql': "SELECT * FROM a WHERE d >= $since AND n > $min_n -- $commented\n AND s <> '$quoted'",
      'nodes/enough.sql': 'SELECT count(*) > $min_rows FROM q',
    });
    expect(p).toEqual([
      { file: 'nodes/q.sql', nodeId: 'q', field: 'nodes[1].code', message: 'nodes/q.sql uses $min_n, which is not a parameter of this workflow', fix: 'declare min_n under parameters: in workflow.yaml (declared: since), or fix the name' },
      { file: 'nodes/enough.sql', nodeId: 'enough', field: 'nodes[2].code', message: 'nodes/enough.sql uses $min_rows, which is not a parameter of this workflow', fix: 'declare min_rows under parameters: in workflow.yaml (declared: since), or fix the name' },
    ]);
  });

  it('a schedule block is checked with the scheduler\'s own rule', () => {
    const p = problems(`name: w\nschedule: {cron: "61 * * * *", timezone: Mars/Olympus}\nnodes:\n${SOURCE}`);
    expect(p.map((x) => [x.field, x.message])).toEqual([
      ['schedule.cron', '"61 * * * *" is not a valid cron expression: Invalid value for minute: 61'],
      ['schedule.timezone', '"Mars/Olympus" is not an IANA time zone'],
    ]);
    expect(p[1]!.fix).toBe('use e.g. "Europe/Berlin", "America/New_York" or "UTC"');
    const cron = problems(`name: w\nschedule: {cron: "61 * * * *", timezone: UTC}\nnodes:\n${SOURCE}`);
    expect(cron).toMatchObject([{ field: 'schedule.cron', message: expect.stringMatching(/^"61 \* \* \* \*" is not a valid cron expression/) }]);
    expect(cron[0]!.fix).toContain('"30 2 * * *"');
    // found by the fuzz test: names of Object.prototype are no presets
    expect(problems(`name: w\nschedule: {cron: toString}\nnodes:\n${SOURCE}`)).toMatchObject([{ field: 'schedule.cron', message: '"toString" has 1 fields; a cron expression has 5 (minute hour day month weekday)' }]);
    expect(problems(`name: w\nschedule: {cron: "@constructor"}\nnodes:\n${SOURCE}`)).toMatchObject([{ field: 'schedule.cron', message: '"@constructor" is not a known nickname' }]);
  });
});
