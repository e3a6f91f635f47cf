// Property-based fuzzing of the spec loader and the run: generated broken workflow folders
// (test/helpers/broken-workflows.ts) go to `validate` (the function, and the CLI for a
// sample) and to `run`. Whatever the mistake, what the user reads is plain: no stack trace,
// no "undefined", "[object Object]" or "TypeError", no path into our source; every problem
// names its node (when it has one) and its field; the CLI exits 2 for an invalid folder
// and never crashes. Seeded: a failure prints the seed and how to run it again.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../runner/api/types.ts';
import type { Engine } from '../../runner/engine.ts';
import { loadWorkflow } from '../../runner/spec/load.ts';
import { NODE_ID } from '../../runner/spec/schema.ts';
import { WorkflowInvalidError, formatProblem, type SpecProblem } from '../../runner/spec/workflow.ts';
import { brokenFolders, describeMistakes, failingFolders, writeFolder, type BrokenFolder } from '../helpers/broken-workflows.ts';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';
import { openTestEngine } from '../helpers/workflows.ts';

const SEED = Number(process.env.AQUEDUCT_FUZZ_SEED ?? 20_260_130);
const OUR_SOURCE = ['runner', 'resources', 'node_modules', 'bin'].map((d) => path.resolve(d));
const STACK = /\n\s*at (?:async )?\S.*(?:\(|\/)\S*:\d+:\d+\)?/;
const FILE_LEVEL = /^(not valid YAML|workflow\.yaml (is empty|must be a mapping)|no workflow\.yaml|folder does not exist)/;

/** Text a user reads: the reasons it must never contain. */
function plainTextIssues(text: string): string[] {
  const found: string[] = [];
  if (STACK.test(text)) found.push('a stack trace');
  for (const bad of ['undefined', '[object Object]', 'TypeError', 'jszip']) if (text.includes(bad)) found.push(JSON.stringify(bad));
  for (const dir of OUR_SOURCE) if (text.includes(dir)) found.push(`our source path ${dir}`);
  return found;
}

function expectPlain(text: string, where: string): void {
  expect(plainTextIssues(text), `${where}: ${text.slice(0, 600)}`).toEqual([]);
}

/** The node a problem's field points into, as the user wrote it (when it is a valid id). */
function nodeIdAtField(b: BrokenFolder, field: string | undefined): string | undefined {
  const m = /^nodes\[(\d+)\]/.exec(field ?? '');
  if (!m) return undefined;
  const nodes = b.draft.text === undefined ? b.draft.doc.nodes : undefined;
  const id = Array.isArray(nodes) ? (nodes[Number(m[1])] as { id?: unknown } | undefined)?.id : undefined;
  return typeof id === 'string' && NODE_ID.test(id) ? id : undefined;
}

function checkProblems(b: BrokenFolder, problems: SpecProblem[]): void {
  expect(problems.length, 'an invalid folder has at least one problem').toBeGreaterThan(0);
  for (const p of problems) {
    const text = formatProblem(p);
    expectPlain(text, describeMistakes(b));
    if (!FILE_LEVEL.test(p.message)) expect(p.field, `${text} names no field`).toBeTruthy();
    const id = nodeIdAtField(b, p.field);
    if (id && b.draft.text === undefined) expect(p.nodeId, `${text} names no node`).toBe(id);
    expect(p.message.trim(), text).not.toBe('');
  }
}

function checkRun(b: BrokenFolder, run: RunDetail): void {
  const what = describeMistakes(b);
  for (const n of run.nodes) {
    if (!n.error) continue;
    expectPlain([n.error.message, n.error.detail ?? '', n.error.fix ?? ''].join('\n'), `${what}: node ${n.nodeId}`);
    expect(n.error.message.length, `${what}: node ${n.nodeId} message`).toBeLessThan(9000);
  }
  expectPlain(run.error ?? '', `${what}: run error`);
  if (b.outcome === 'fails') expect(run.status, `${what} should fail the run`).toBe('failed');
}

/** Runs the property; a failure names the seed and how to replay it. */
async function assertSeeded<T>(prop: fc.IAsyncProperty<T> | fc.IProperty<T>, numRuns: number): Promise<void> {
  try {
    await fc.assert(prop, { seed: SEED, numRuns, endOnFailure: false });
  } catch (e) {
    const cause = (e as Error).cause instanceof Error ? `\n${((e as Error).cause as Error).message}` : '';
    throw new Error(`spec fuzz failed with seed ${SEED} (run again with AQUEDUCT_FUZZ_SEED=${SEED})\n${(e as Error).message}${cause}`);
  }
}

describe('fuzzing the spec loader with broken workflow folders', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('fuzz');
  });
  afterAll(() => engine?.close());

  it('validate: every broken folder gets plain problems naming node and field', async () => {
    await assertSeeded(fc.property(brokenFolders, (b) => {
      const r = loadWorkflow(writeFolder(b.draft));
      if (b.outcome === 'invalid') expect(r.ok, `${describeMistakes(b)} should be invalid`).toBe(false);
      if (b.outcome === 'fails') expect(r.ok ? [] : r.problems.map(formatProblem), `${describeMistakes(b)} should be valid`).toEqual([]);
      if (!r.ok) checkProblems(b, r.problems);
    }), 300);
  });

  it('run: an invalid folder is refused in words, a valid one fails at its node in words', async () => {
    await assertSeeded(fc.asyncProperty(fc.oneof(brokenFolders, failingFolders), async (b) => {
      const folder = writeFolder(b.draft);
      let run: RunDetail | undefined;
      try {
        run = await engine.run(folder, { trigger: 'test' });
      } catch (e) {
        expect(e, `${describeMistakes(b)}: ${(e as Error).stack}`).toBeInstanceOf(WorkflowInvalidError);
        checkProblems(b, (e as WorkflowInvalidError).problems);
        expect(b.outcome, describeMistakes(b)).not.toBe('fails');
        return;
      }
      expect(b.outcome, `${describeMistakes(b)} ran`).not.toBe('invalid');
      checkRun(b, run);
    }), 100);
  });

  it('the CLI on a sample: exit 2 for an invalid folder, 1 for a failed run, never a crash or a stack', () => {
    const home = tempHome('fuzz-cli');
    const invalid = fc.sample(brokenFolders, { seed: SEED, numRuns: 60 }).filter((b) => b.outcome === 'invalid').slice(0, 3);
    const failing = fc.sample(failingFolders, { seed: SEED, numRuns: 2 });
    expect(invalid).toHaveLength(3);
    const cli = (...args: string[]) => {
      const r = spawnSync(process.execPath, ['bin/aqueduct.mjs', '--home', home, ...args], {
        encoding: 'utf8', env: { ...process.env, AQUEDUCT_PYTHON: testPython(), NO_COLOR: '1' }, timeout: 180_000,
      });
      expect(r.signal, `${args.join(' ')} crashed`).toBeNull();
      return { code: r.status, all: r.stdout + r.stderr };
    };
    invalid.forEach((b, i) => {
      const folder = writeFolder(b.draft, 'fuzz-cli');
      for (const command of i === 0 ? ['validate', 'run'] : ['validate']) {
        const r = cli(command, folder);
        expect(r.code, `${command} ${describeMistakes(b)}: ${r.all}`).toBe(2);
        expectPlain(r.all, `${command} ${describeMistakes(b)}`);
        expect(r.all).toMatch(/^error: \S+/m);
      }
    });
    for (const b of failing) {
      const r = cli('run', writeFolder(b.draft, 'fuzz-cli'));
      expect(r.code, `run ${describeMistakes(b)}: ${r.all}`).toBe(1);
      expectPlain(r.all, `run ${describeMistakes(b)}`);
    }
  });
});
