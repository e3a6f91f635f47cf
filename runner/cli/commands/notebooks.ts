// `aqueduct import <notebook>` and `aqueduct export-notebook <workflow>`: the bridges between
// Jupyter and workflows (runner/notebooks/). Import prints the nodes it made and every
// issue with its fix; export writes a notebook that reads a run's outputs.
import path from 'node:path';
import type { Command } from 'commander';
import { analyzeNotebook } from '../../notebooks/analyze-notebook.ts';
import { exportNotebook, writeNotebook } from '../../notebooks/export-notebook.ts';
import { importNotebook } from '../../notebooks/import-notebook.ts';
import { NotebookError } from '../../notebooks/notebook-error.ts';
import { readNotebookFile } from '../../notebooks/notebook-file.ts';
import { EXIT, ExitCode } from '../exit.ts';
import { bold, dim, red, yellow } from '../format.ts';
import { openEngine } from './options.ts';

function cellNumbers(value: string): number[] {
  const numbers = value.split(',').map((v) => Number.parseInt(v.trim(), 10));
  if (numbers.some((n) => !Number.isInteger(n) || n < 1)) throw new NotebookError(`--starts ${value}: give cell numbers from 1, separated by commas`, 'e.g. --starts 1,5,9');
  return numbers.map((n) => n - 1);
}

function fail(e: unknown, json?: boolean): never {
  if (!(e instanceof NotebookError)) throw e;
  if (json) console.log(JSON.stringify({ ok: false, error: e.message, fix: e.fix }, null, 2));
  else console.error(red('error: ') + e.message + (e.fix ? `\n${yellow(`fix: ${e.fix}`)}` : ''));
  throw new ExitCode(EXIT.invalid);
}

interface ImportFlags { out?: string; name?: string; starts?: string; dryRun?: boolean; json?: boolean; python?: string }

export function registerNotebookCommands(program: Command): void {
  program
    .command('import')
    .description('turn a Jupyter notebook into a workflow folder (one node per cell that hands a DataFrame on)')
    .argument('<notebook>', 'the .ipynb file')
    .option('--out <folder>', 'the workflow folder to create (default: beside the notebook, named after it)')
    .option('--name <name>', "the workflow's name (default: the notebook's title)")
    .option('--starts <cells>', 'cell numbers (from 1) where nodes begin, instead of the suggestion, e.g. 1,5,9')
    .option('--dry-run', 'show the cells, the suggested starts and the nodes without writing anything')
    .option('--json', 'print as JSON')
    .option('--python <interpreter>', 'Python that reads the notebook (default: the app\'s)')
    .action(async (file: string, opts: ImportFlags, cmd: Command) => {
      const engine = await openEngine(cmd, { python: opts.python });
      try {
        const nb = readNotebookFile(file);
        const abs = path.resolve(file);
        const base = { python: engine.pythonInterpreter, notebookName: path.basename(abs), baseDir: path.dirname(abs), starts: opts.starts ? cellNumbers(opts.starts) : undefined };
        if (opts.dryRun) {
          const a = await analyzeNotebook(nb, base);
          if (opts.json) return void console.log(JSON.stringify(a, null, 2));
          console.log(`${bold(path.basename(abs))}: nodes begin at cells ${a.starts.map((s) => s + 1).join(', ')}${a.exported ? ' (exported by Aqueduct)' : ` (suggested: ${a.suggested.map((s) => s + 1).join(', ')})`}`);
          for (const n of a.nodes) console.log(`  ${n.id} (${n.kind})${n.inputs.length ? ` ← ${n.inputs.join(', ')}` : ''}`);
          printIssues(a.issues);
          return;
        }
        const out = opts.out ?? path.join(path.dirname(abs), path.basename(abs).replace(/\.ipynb$/i, '') || 'workflow');
        const r = await importNotebook(nb, { ...base, out, name: opts.name });
        engine.openWorkflow(r.folder);
        if (opts.json) return void console.log(JSON.stringify({ ok: true, ...r }, null, 2));
        console.log(`Imported ${path.basename(abs)} as ${bold(r.name)} in ${r.folder}`);
        for (const n of r.nodes) console.log(`  ${n.id} (${n.kind})${n.inputs.length ? ` ← ${n.inputs.join(', ')}` : ''}`);
        if (r.copied.length) console.log(dim(`copied ${r.copied.join(', ')}`));
        if (r.requirements.length) console.log(dim(`requirements.txt: ${r.requirements.join(', ')}`));
        printIssues(r.issues);
        console.log(`\nRun it: aqueduct run ${path.relative(process.cwd(), r.folder) || '.'}`);
      } catch (e) {
        fail(e, opts.json);
      } finally {
        await engine.close();
      }
    });

  program
    .command('export-notebook')
    .description("write a workflow version as a Jupyter notebook whose cells read a run's outputs")
    .argument('<workflow>', 'the workflow folder (or its id in the app)')
    .option('--run <id>', "the run whose version and outputs to use (default: the latest run of the workflow's current files)")
    .option('--out <file>', 'the .ipynb to write (default: <workflow>-<run>.ipynb here)')
    .option('--json', 'print as JSON')
    .action(async (workflow: string, opts: { run?: string; out?: string; json?: boolean }, cmd: Command) => {
      const engine = await openEngine(cmd);
      try {
        const r = exportNotebook(engine.store, engine.paths, workflow, opts.run);
        const file = writeNotebook(opts.out ?? r.fileName, r.notebook);
        if (opts.json) return void console.log(JSON.stringify({ ok: true, file, runId: r.runId, versionHash: r.versionHash }, null, 2));
        console.log(`Wrote ${file}`);
        console.log(dim(r.runId ? `its cells read the outputs of run ${r.runId.slice(0, 8)} (version ${r.versionHash})` : `no run of version ${r.versionHash} yet: its cells compute every table from the cells above`));
      } catch (e) {
        fail(e, opts.json);
      } finally {
        await engine.close();
      }
    });
}

function printIssues(issues: { cell: number | null; message: string; fix: string }[]): void {
  if (!issues.length) return void console.log(dim('everything in the notebook was mapped'));
  console.log(`\n${yellow('Not mapped')} (${issues.length}):`);
  for (const i of issues) console.log(`  - ${i.cell !== null ? `cell ${i.cell}: ` : ''}${i.message}\n    ${dim(`fix: ${i.fix}`)}`);
}
