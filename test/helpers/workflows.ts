// Builds small workflow folders inside a test's temp home, so each test states the
// exact workflow it exercises next to its assertions.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { Engine, type EngineOptions } from '../../runner/engine.ts';
import { tempHome } from './home.ts';
import { testPython } from './python.ts';

export function makeWorkflow(definition: Record<string, unknown>, files: Record<string, string> = {}, label = 'wf'): string {
  const dir = path.join(tempHome(label), 'workflow');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'workflow.yaml'), YAML.stringify({ name: label, ...definition }));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

export function openTestEngine(label: string, opts: EngineOptions = {}): Promise<Engine> {
  return Engine.open({ home: tempHome(`${label}-home`), python: testPython(), pythonWorkers: 2, ...opts });
}

/** A small CSV of numbers 1..n with a group column, for tiny test workflows. */
export function numbersCsv(n: number): string {
  const lines = ['id,grp,amount'];
  for (let i = 1; i <= n; i++) lines.push(`${i},${i % 3 === 0 ? 'c' : i % 2 === 0 ? 'b' : 'a'},${i * 1.5}`);
  return lines.join('\n') + '\n';
}
