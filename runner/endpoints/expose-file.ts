// Serving an output or not is a line of workflow.yaml (endpoints: [..]), so it travels
// with the workflow in git. The Endpoints screen and `aqueduct endpoints expose` change
// that line through the one writer of the file; the graph editor edits it in Workflow
// settings and saves it with the rest.
import YAML from 'yaml';
import { loadWorkflowOrThrow } from '../spec/load.ts';
import { rewriteDefinitionFile } from '../spec/save.ts';
import { EndpointKeyError } from './keys.ts';

const TABLES = new Set(['source', 'sql', 'python']);

/** Adds or removes `output` under endpoints: in the workflow's file; returns the list now. */
export function setExposed(folder: string, output: string, on: boolean): string[] {
  const w = loadWorkflowOrThrow(folder);
  const node = w.nodes.find((n) => n.id === output);
  if (on && !node) throw new EndpointKeyError(`no node "${output}" in ${w.definition.name}`, `serve one of ${w.nodes.filter((n) => TABLES.has(n.kind)).map((n) => n.id).join(', ')}`);
  if (on && !TABLES.has(node!.kind)) throw new EndpointKeyError(`"${output}" is a ${node!.kind} node, which gives no table to serve`, 'serve the output of a source, sql or python node');
  const now = new Set(w.definition.endpoints ?? []);
  if (on) now.add(output);
  else now.delete(output);
  const list = [...now];
  rewriteDefinitionFile(w.folder, (text) => {
    const doc = YAML.parseDocument(text);
    if (doc.errors.length > 0 || !YAML.isMap(doc.contents)) return text;
    if (list.length) doc.set('endpoints', doc.createNode(list, { flow: true }));
    else doc.delete('endpoints');
    return doc.toString({ lineWidth: 100 });
  });
  return list;
}
