// A workflow folder may come from someone else: its code files must live inside it. A
// `code:` path that leaves the folder (.., an absolute path, a symlink) is refused at load
// and at save with one sentence naming the node, the field and the fix, and nothing is
// read from or written to the place it names, not even by a save that is refused.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { tempHome } from '../../test/helpers/home.ts';
import { readWorkflowDocument } from '../api/workflow-document.ts';
import { loadWorkflow } from './load.ts';
import { saveWorkflow } from './save.ts';
import { formatProblem, WorkflowInvalidError } from './workflow.ts';

/** <root>/wf holds the workflow; <root>/outside is a sibling folder the workflow must not reach. */
function layout(code: string, extra: (root: string) => void = () => undefined) {
  const root = tempHome('code-paths');
  const folder = path.join(root, 'wf');
  fs.mkdirSync(path.join(root, 'outside'), { recursive: true });
  fs.writeFileSync(path.join(root, 'outside', 'secret.sql'), 'SELECT 42 AS not_yours');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'workflow.yaml'), YAML.stringify({ name: 'w', nodes: [{ id: 'q', kind: 'sql', code }] }));
  extra(root);
  return { root, folder };
}

function loadProblems(folder: string): string[] {
  const r = loadWorkflow(folder);
  if (r.ok) throw new Error(`loaded, reading ${r.workflow.nodes[0]!.codeFile}: ${r.workflow.nodes[0]!.source}`);
  return r.problems.map(formatProblem);
}

describe('code files outside the workflow folder', () => {
  it('refuses ../ at load, naming node, field and fix, and reads nothing', () => {
    const { folder } = layout('../outside/secret.sql');
    const p = loadProblems(folder);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/node "q", field nodes\[0\]\.code: code file \.\.\/outside\/secret\.sql is outside the workflow folder \(fix: .*inside the workflow folder.*\)/);
    expect(JSON.stringify(readWorkflowDocument(folder))).not.toContain('not_yours');
  });

  it('refuses an absolute path at load, and reads nothing', () => {
    const { folder } = layout('/etc/hostname');
    expect(loadProblems(folder)[0]).toMatch(/node "q", field nodes\[0\]\.code: code file \/etc\/hostname is outside the workflow folder/);
    const secret = layout('placeholder');
    const abs = path.join(secret.root, 'outside', 'secret.sql');
    fs.writeFileSync(path.join(secret.folder, 'workflow.yaml'), YAML.stringify({ name: 'w', nodes: [{ id: 'q', kind: 'sql', code: abs }] }));
    expect(loadProblems(secret.folder)[0]).toMatch(/is outside the workflow folder/);
    expect(JSON.stringify(readWorkflowDocument(secret.folder))).not.toContain('not_yours');
  });

  it('refuses a code file reached through a symlink that leads outside', () => {
    const { folder } = layout('nodes/q.sql', (root) => fs.symlinkSync(path.join(root, 'outside'), path.join(root, 'wf', 'nodes')));
    expect(loadProblems(folder)[0]).toMatch(/code file nodes\/q\.sql is outside the workflow folder/);
    const linked = layout('nodes/q.sql', (root) => {
      fs.mkdirSync(path.join(root, 'wf', 'nodes'));
      fs.symlinkSync(path.join(root, 'outside', 'secret.sql'), path.join(root, 'wf', 'nodes', 'q.sql'));
    });
    expect(loadProblems(linked.folder)[0]).toMatch(/outside the workflow folder/);
    expect(JSON.stringify(readWorkflowDocument(linked.folder))).not.toContain('not_yours');
  });

  it('writes nothing outside, even for a save that is refused', () => {
    const { root, folder } = layout('nodes/q.sql');
    fs.mkdirSync(path.join(folder, 'nodes'));
    fs.writeFileSync(path.join(folder, 'nodes', 'q.sql'), 'SELECT 1');
    const before = (fs.readdirSync(root, { recursive: true }) as string[]).sort();
    for (const code of ['../outside/x.sql', '../../escaped.sql', path.join(root, 'abs.sql')]) {
      // a definition that is also invalid in another way: the save is refused either way
      const definition = { name: 'w', nodes: [{ id: 'q', kind: 'sql' as const, code, inputs: ['missing'] }] };
      const err = (() => {
        try {
          saveWorkflow(folder, definition, { q: 'SELECT 2 AS planted' });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err, code).toBeInstanceOf(WorkflowInvalidError);
      expect((err as WorkflowInvalidError).problems.map(formatProblem).join('\n')).toMatch(/node "q", field nodes\[0\]\.code: code file .* is outside the workflow folder/);
    }
    expect((fs.readdirSync(root, { recursive: true }) as string[]).sort()).toEqual(before);
    expect(fs.existsSync(path.join(path.dirname(root), 'escaped.sql'))).toBe(false);
  });

  it('does not write through a nodes/ symlink that leads outside', () => {
    const { root, folder } = layout('nodes/q.sql', (r) => fs.symlinkSync(path.join(r, 'outside'), path.join(r, 'wf', 'nodes')));
    expect(() => saveWorkflow(folder, { name: 'w', nodes: [{ id: 'q', kind: 'sql' }] }, { q: 'SELECT 3 AS planted' })).toThrow(WorkflowInvalidError);
    expect(fs.readdirSync(path.join(root, 'outside'))).toEqual(['secret.sql']);
  });
});
