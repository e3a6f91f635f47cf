// `aqueduct diff` and `aqueduct profile`: the data diff of a node's output between two runs
// and the column profile of one output, from the same services the app's Compare and
// output tab call, so the command line and the UI always agree.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { ColumnProfile, DataDiff, DiffRow } from '../../api/monitor-types.ts';
import { diffOutputs } from '../../monitor/diff/diff-outputs.ts';
import { MonitorInputError } from '../../monitor/monitor-error.ts';
import { ProfileUnavailableError, profileOf } from '../../monitor/profile/profiler.ts';
import { EXIT, ExitCode } from '../exit.ts';
import { bold, dim, green, red, table, yellow } from '../format.ts';
import { openEngine } from './options.ts';

const short = (id: string) => id.slice(0, 8);
const n = (x: number) => x.toLocaleString('en-US');

function tolerance(v: string): number {
  const x = /^\s*\d*\.?\d+(e[+-]?\d+)?\s*$/i.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(x)) throw new InvalidArgumentError('--tolerance must be a number of 0 or more, e.g. --tolerance 0.001');
  return x;
}

/** A value as the diff prints it: text in quotes, null as null. */
export function shown(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const keyText = (k: DiffRow) => Object.entries(k).map(([name, v]) => `${name}=${shown(v)}`).join(', ');

export function formatDiff(d: DataDiff): string[] {
  const out: string[] = [];
  out.push(`${bold(`diff of node "${d.nodeId}"`)}: run ${short(d.runA)} (A, ${n(d.rowsA)} rows) → run ${short(d.runB)} (B, ${n(d.rowsB)} rows)`);
  const s = d.schema;
  if (s.added.length + s.removed.length + s.retyped.length === 0) out.push(dim('schema: the same columns and types'));
  else {
    out.push(bold('schema changes'));
    for (const c of s.added) out.push(green(`  + ${c.name} ${c.type}`));
    for (const c of s.removed) out.push(red(`  − ${c.name} ${c.type}`));
    for (const c of s.retyped) out.push(yellow(`  ~ ${c.name}: ${c.from} → ${c.to} (compared as ${/INT|DOUBLE|FLOAT|DECIMAL/.test(c.from) && /INT|DOUBLE|FLOAT|DECIMAL/.test(c.to) ? 'numbers' : 'text'})`));
  }
  const r = d.result;
  if (r.mode === 'multiset') {
    out.push(`${bold('no key')}: ${n(r.onlyInA)} rows only in A, ${n(r.onlyInB)} rows only in B (${n(r.distinctRows)} distinct rows whose count differs)`);
    if (r.sample.length) {
      const cols = d.compared;
      out.push(table([[...cols, 'IN A', 'IN B'].map(bold), ...r.sample.map((x) => [...cols.map((c) => shown(x.row[c])), String(x.countA), String(x.countB)])]));
    }
    return out;
  }
  const tol = d.tolerance ? ` (numbers within ${d.tolerance} count as equal)` : '';
  out.push(`${bold(`key ${r.key.join(', ')}`)}: ${n(r.added)} added, ${n(r.removed)} removed, ${n(r.changed)} changed, ${n(r.unchanged)} the same${tol}`);
  const dup = r.duplicates;
  if (dup.keysA + dup.keysB > 0) {
    out.push(yellow(`duplicate keys: ${n(dup.keysA)} in A (${n(dup.rowsA)} rows), ${n(dup.keysB)} in B (${n(dup.rowsB)} rows); their rows are left out of the comparison`));
    for (const x of dup.sample) out.push(`  ${keyText(x.key)}: ${x.countA} rows in A, ${x.countB} in B`);
  }
  if (r.columnChanges.length) {
    out.push(bold('changed values per column'));
    out.push(table(r.columnChanges.map((c) => [`  ${c.column}`, c.changed ? yellow(n(c.changed)) : dim('0')])));
  }
  if (r.changedSample.length) {
    out.push(bold(`changed rows (first ${r.changedSample.length} by key; * marks a changed value)`));
    const cols = d.compared.filter((c) => !r.key.includes(c));
    for (const x of r.changedSample) {
      out.push(`  ${keyText(x.key)}`);
      out.push(table(cols.map((c) => {
        const changed = x.changed.includes(c);
        return [`    ${c}`, shown(x.a[c]), '→', shown(x.b[c]), changed ? yellow('*') : ''];
      })));
    }
  }
  if (r.addedSample.length) out.push(bold(`added rows (first ${r.addedSample.length})`), ...r.addedSample.map((x) => green(`  + ${keyText(pick(x, r.key))}`)));
  if (r.removedSample.length) out.push(bold(`removed rows (first ${r.removedSample.length})`), ...r.removedSample.map((x) => red(`  − ${keyText(pick(x, r.key))}`)));
  return out;
}

const pick = (row: DiffRow, key: string[]): DiffRow => Object.fromEntries(key.map((k) => [k, row[k]]));

function formatProfile(columns: ColumnProfile[]): string {
  const fmt = (x: number | undefined) => (x === undefined ? '' : Math.abs(x) >= 1e6 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : String(Math.round(x * 1000) / 1000));
  return table([
    ['COLUMN', 'TYPE', 'NULLS', 'DISTINCT', 'MIN', 'MAX', 'MEAN', 'STDDEV', 'TOP VALUES'].map(bold),
    ...columns.map((c) => [
      c.name, dim(c.type), n(c.nulls), c.distinct === undefined ? '' : n(c.distinct), c.min === undefined ? '' : shown(c.min).slice(0, 30),
      c.max === undefined ? '' : shown(c.max).slice(0, 30), fmt(c.mean), fmt(c.stddev),
      (c.top ?? []).slice(0, 3).map((t) => `${shown(t.value).slice(0, 20)} (${n(t.count)})`).join(', '),
    ]),
  ]);
}

async function withUserErrors(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    if (e instanceof MonitorInputError || e instanceof ProfileUnavailableError) {
      const fix = e instanceof MonitorInputError && e.fix ? ` (fix: ${e.fix})` : '';
      console.error(red('error: ') + e.message + fix);
      throw new ExitCode(EXIT.invalid);
    }
    throw e;
  }
}

export function registerMonitorCommands(program: Command): void {
  program
    .command('diff')
    .description("compare a node's output between two runs: schema, then rows added, removed and changed")
    .argument('<runA>', 'the earlier run (id or unique prefix)')
    .argument('<runB>', 'the later run')
    .argument('<node>', 'the node whose output to compare')
    .option('-k, --key <columns>', 'key columns, comma-separated (without: counts per distinct row)')
    .option('-t, --tolerance <x>', 'numbers closer than x count as unchanged (with --key)', tolerance)
    .option('-n, --sample <rows>', 'rows shown per sample', (v) => Math.max(1, Math.min(200, Number.parseInt(v, 10) || 20)), 20)
    .option('--json', 'print the diff as JSON')
    .action(async (runA: string, runB: string, node: string, opts: { key?: string; tolerance?: number; sample: number; json?: boolean }, cmd: Command) => {
      const engine = await openEngine(cmd);
      try {
        await withUserErrors(async () => {
          const key = opts.key?.split(',').map((k) => k.trim()).filter(Boolean);
          const d = await diffOutputs(engine.duck, engine.store, runA, runB, node, { key, tolerance: opts.tolerance, sample: opts.sample });
          if (opts.json) console.log(JSON.stringify(d, null, 2));
          else console.log(formatDiff(d).join('\n'));
        });
      } finally {
        await engine.close();
      }
    });

  program
    .command('profile')
    .description("the column profile of a node's output in a run: nulls, distinct values, range, mean, top values")
    .argument('<run>', 'run id (or a unique prefix)')
    .argument('<node>', 'the node whose output to profile')
    .option('--json', 'print the profile as JSON')
    .action(async (runArg: string, node: string, opts: { json?: boolean }, cmd: Command) => {
      const engine = await openEngine(cmd);
      try {
        await withUserErrors(async () => {
          const id = engine.store.resolveRunId(runArg);
          if (!id) throw new MonitorInputError(`no run matches "${runArg}"`, 'run', 'give a run id or a unique prefix of one (list runs with aqueduct runs)');
          const rec = engine.store.getNodeRun(id, node);
          if (!rec) throw new MonitorInputError(`run ${short(id)} has no node "${node}"`, 'node', 'pick a node of that run (aqueduct show <run>)');
          const p = await profileOf(engine.store.db, engine.duck, id, node, rec.artifactPath);
          if (opts.json) return void console.log(JSON.stringify(p, null, 2));
          console.log(`${bold(`profile of node "${node}"`)} in run ${short(id)}: ${n(p.rows)} rows${p.sampleRows ? dim(` (distinct counts, means and top values from a sample of ${n(p.sampleRows)} rows)`) : ''}`);
          console.log(formatProfile(p.columns));
        });
      } finally {
        await engine.close();
      }
    });
}
