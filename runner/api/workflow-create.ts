// New workflow folders: blank (a name and an empty canvas) or a copy of a bundled example.
// Each gets a folder named after the workflow under the Workflows folder (a setting the
// user can change), unless the user picks a folder. A copy of an example named by the user
// takes only what the workflow needs (definition, node code, data, packages and their
// lock): not the example's README, its earlier outputs, or the comments in its
// workflow.yaml, which describe the example and would mislead in the user's own workflow.
// Every new workflow has a requirements.txt, so it runs on an app-owned environment here
// and wherever the folder is opened (folders without one keep Settings → Python).
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { WorkflowSummary } from './types.ts';
import { DEFINITION_FILE } from '../spec/load.ts';
import { rewriteDefinitionFile, saveWorkflow, writeAtomic } from '../spec/save.ts';
import { isInside } from '../spec/contained-path.ts';
import { lockDownTree } from '../store/private-files.ts';
import { LOCK_FILE, NEW_REQUIREMENTS_TEXT, REQUIREMENTS_FILE } from '../envs/requirements-file.ts';
import { UserError, type ApiContext } from './context.ts';

export const WORKFLOWS_FOLDER_SETTING = 'workflowsFolder';

/** Where new workflows go: the user's setting, else the app's default. */
export function workflowsFolder(ctx: ApiContext): string {
  return ctx.engine.store.getSetting(WORKFLOWS_FOLDER_SETTING) ?? ctx.workflowsDir;
}

/** "House prices (v2)" → "house-prices-v2": a folder name that reads like the workflow's. */
export function folderNameOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'workflow';
}

/** `<Workflows folder>/<name>`, with -2, -3… when that folder is taken. */
export function defaultFolder(ctx: ApiContext, name: string): string {
  const root = workflowsFolder(ctx);
  const base = folderNameOf(name);
  let dest = path.join(root, base);
  for (let n = 2; fs.existsSync(dest); n++) dest = path.join(root, `${base}-${n}`);
  return dest;
}

export interface CreateOptions {
  name: string;
  /** default: a new folder under the Workflows folder, named after the workflow */
  folder?: string;
  /** a bundled example to start from; default: an empty workflow */
  example?: string;
}

export function createWorkflow(ctx: ApiContext, o: CreateOptions): WorkflowSummary {
  const name = o.name.trim();
  if (!name) throw Object.assign(new UserError('a new workflow needs a name'), { field: 'name' });
  const dest = o.folder ? path.resolve(o.folder) : defaultFolder(ctx, name);
  if (fs.existsSync(path.join(dest, DEFINITION_FILE))) {
    throw Object.assign(new UserError(`${dest} already holds a workflow`), { field: 'folder', fix: 'open it with “Open folder…”, or choose another folder' });
  }
  if (fs.existsSync(dest) && !fs.statSync(dest).isDirectory()) {
    throw Object.assign(new UserError(`${dest} is a file, not a folder`), { field: 'folder', fix: 'choose a folder' });
  }
  if (o.example) copyExample(ctx, o.example, dest, name);
  else {
    try {
      fs.mkdirSync(dest, { recursive: true });
    } catch (e) {
      throw Object.assign(new UserError(`cannot create ${dest}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`), {
        field: 'folder',
        fix: 'choose a folder you may write to',
      });
    }
    // a requirements.txt the user already keeps in that folder stays as it is
    const requirements = path.join(dest, REQUIREMENTS_FILE);
    if (!fs.existsSync(requirements)) writeAtomic(requirements, NEW_REQUIREMENTS_TEXT);
    saveWorkflow(dest, { name, nodes: [] }, {});
  }
  // a workflow made inside the app folder is private like the rest of it
  if (isInside(ctx.engine.paths.home, dest)) lockDownTree(dest);
  return ctx.engine.openWorkflow(dest).summary;
}

function copyExample(ctx: ApiContext, example: string, dest: string, name: string): void {
  const from = path.join(ctx.examplesDir, example);
  const definitionFile = path.join(from, DEFINITION_FILE);
  if (!fs.existsSync(definitionFile)) throw new UserError(`no bundled example "${example}"`);
  if (fs.existsSync(dest) && fs.readdirSync(dest).length > 0) {
    throw Object.assign(new UserError(`${dest} is not empty`), { field: 'folder', fix: 'choose an empty or new folder for a copy of the example' });
  }
  fs.mkdirSync(dest, { recursive: true });
  // only what the workflow runs on: its node code, its data, its packages and their lock
  for (const part of ['nodes', 'data', REQUIREMENTS_FILE, LOCK_FILE]) {
    if (fs.existsSync(path.join(from, part))) fs.cpSync(path.join(from, part), path.join(dest, part), { recursive: true });
  }
  if (!fs.existsSync(path.join(dest, REQUIREMENTS_FILE))) writeAtomic(path.join(dest, REQUIREMENTS_FILE), NEW_REQUIREMENTS_TEXT);
  // the definition through the one writer of workflow.yaml (spec/save.ts)
  fs.copyFileSync(definitionFile, path.join(dest, DEFINITION_FILE));
  rewriteDefinitionFile(dest, (text) => {
    const doc = YAML.parseDocument(text);
    YAML.visit(doc, (_key, node) => {
      if (YAML.isNode(node)) {
        node.commentBefore = undefined;
        node.comment = undefined;
      }
    });
    doc.commentBefore = null;
    doc.comment = null;
    doc.set('name', name);
    return doc.toString({ lineWidth: 100 });
  });
}
