// What an exported bundle installs: the runtime's pins are exact and their lock current;
// the workflow's lock wins over the runtime's pins for the packages both name; psycopg only
// where a node publishes to PostgreSQL; extra lines drop the hashes they cannot carry.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockIsCurrent } from '../envs/lock.ts';
import { inputHashOf, lockText, requirementLines } from '../envs/requirements-file.ts';
import type { Workflow } from '../spec/workflow.ts';
import { RUNTIME_REQUIREMENTS, StaleLockError, bundleRequirements } from './bundle-requirements.ts';

function workflowWith(files: Record<string, string>): Workflow {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-req-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
  return { folder, file: path.join(folder, 'workflow.yaml'), definition: { name: 'w' } as Workflow['definition'], nodes: [] };
}

describe('bundle requirements', () => {
  it('pins the runtime exactly, and its lock matches its requirements.txt', () => {
    for (const line of requirementLines(fs.readFileSync(RUNTIME_REQUIREMENTS, 'utf8'))) expect(line).toMatch(/^[a-z0-9[\]-]+==\d+(\.\d+)+$/);
    expect(lockIsCurrent(path.dirname(RUNTIME_REQUIREMENTS), undefined), 'run npx tsx scripts/lock-runtime.ts').toBeTruthy();
  });

  it("takes the workflow's pins over the runtime's, and psycopg only for a PostgreSQL publish", () => {
    const w = workflowWith({ 'requirements.txt': 'pandas==2.2.3\n' });
    const pins = 'pandas==2.2.3 \\\n    --hash=sha256:' + 'a'.repeat(64) + '\n';
    fs.writeFileSync(path.join(w.folder, 'requirements.lock'), lockText(pins, { inputHash: inputHashOf(w.folder), pythonFloor: '3.11', tool: 'uv', universal: true }));
    const r = bundleRequirements(w, [], false);
    expect(r.pins).toContain('pandas==2.2.3');
    expect(r.pins.filter((p) => p.startsWith('pandas=='))).toEqual(['pandas==2.2.3']);
    expect(r.pins).toContain('duckdb==1.5.6');
    expect(r.pins.some((p) => p.startsWith('psycopg'))).toBe(false);
    expect(r.text).toMatch(/^pandas==2\.2\.3 \\\n {4}--hash=sha256:a{64}$/m);
    expect(bundleRequirements(w, [], true).pins).toContain('psycopg==3.3.9');
    const extra = bundleRequirements(w, ['tabulate'], false);
    expect(extra.text).not.toMatch(/--hash/);
    expect(extra.pins).toContain('tabulate');
  });

  it('refuses a lock older than requirements.txt with one sentence saying how to lock it', () => {
    const w = workflowWith({ 'requirements.txt': 'tabulate\n', 'requirements.lock': '# aqueduct-input: old\ntabulate==0.9.0\n' });
    expect(() => bundleRequirements(w, [], false)).toThrow(StaleLockError);
    expect(() => bundleRequirements(w, [], false)).toThrow(/^requirements\.txt of "w" changed since requirements\.lock was written; lock it first \(aqueduct env build .+, or run the workflow once\) and export again$/);
  });
});
