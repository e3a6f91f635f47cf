// The `aqueduct` command line: run, validate, inspect and preview workflows. Each
// command lives in commands/; this file wires them and turns errors into exit codes.
import { Command, CommanderError } from 'commander';
import { WorkflowInvalidError, formatProblem } from '../spec/workflow.ts';
import { registerRunCommands } from './commands/run.ts';
import { registerHistoryCommands } from './commands/history.ts';
import { registerScheduleCommands } from './commands/schedule.ts';
import { registerServeCommands } from './commands/serve.ts';
import { registerConnectionCommands } from './commands/connections.ts';
import { registerEngineCommands } from './commands/engines.ts';
import { registerEnvCommands } from './commands/env.ts';
import { registerNotebookCommands } from './commands/notebooks.ts';
import { registerMonitorCommands } from './commands/monitor.ts';
import { red } from './format.ts';
import { EXIT, ExitCode } from './exit.ts';
import { takeProcessSecrets } from '../secrets/process-secrets.ts';


export function buildProgram(): Command {
  const program = new Command('aqueduct')
    .description('Build, run, check and publish data workflows on your laptop.')
    .option('--home <dir>', 'app data folder (default: $AQUEDUCT_HOME or the OS app-data folder)')
    .showHelpAfterError()
    .exitOverride();
  registerRunCommands(program);
  registerHistoryCommands(program);
  registerScheduleCommands(program);
  registerServeCommands(program);
  registerConnectionCommands(program);
  registerEngineCommands(program);
  registerEnvCommands(program);
  registerNotebookCommands(program);
  registerMonitorCommands(program);
  return program;
}

/**
 * The first word that names no command where commands are expected (`aqueduct nope`,
 * `aqueduct schedule nope`), skipping options and their values; undefined if none.
 */
export function unknownCommand(program: Command, args: string[]): string | undefined {
  let cmd = program;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return undefined;
    if (a.startsWith('-')) {
      const option = [...cmd.options, ...program.options].find((o) => o.long === a || o.short === a);
      if (option && (option.required || option.optional) && !a.includes('=')) i++; // its value
      continue;
    }
    if (cmd.commands.length === 0) return undefined; // a leaf command: the rest are its arguments
    const sub = cmd.commands.find((c) => c.name() === a || c.aliases().includes(a));
    if (!sub) return a === 'help' ? undefined : a;
    cmd = sub;
  }
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  // before anything can start a child process
  takeProcessSecrets();
  const program = buildProgram();
  // commander answers `aqueduct nope --help` with the general help and exit 0: let it
  // report the unknown command instead (exit 2)
  if (unknownCommand(program, argv.slice(2))) argv = argv.filter((a) => a !== '--help' && a !== '-h');
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ExitCode) return e.code;
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT.invalid;
    if (e instanceof WorkflowInvalidError) {
      const json = argv.includes('--json');
      if (json) console.log(JSON.stringify({ ok: false, problems: e.problems }, null, 2));
      else for (const p of e.problems) console.error(red('error: ') + formatProblem(p));
      return EXIT.invalid;
    }
    console.error(red('error: ') + ((e as Error).message ?? String(e)));
    return EXIT.failed;
  }
}
