// The `aqueduct` command line: run, validate, inspect and preview workflows. Each
// command lives in commands/; this file wires them and turns errors into exit codes.
// A command loads only its own module (and that module loads drivers, the engine and the
// server only in its action), so `aqueduct runs` does not pay for DuckDB or the HTTP server.
import { Command, CommanderError } from 'commander';
import { WorkflowInvalidError, formatProblem } from '../spec/workflow.ts';
import { red } from './format.ts';
import { EXIT, ExitCode } from './exit.ts';
import { takeProcessSecrets } from '../secrets/process-secrets.ts';

type Register = (program: Command) => void;

/** Which module registers each top-level command, in the order the help lists them. */
export const COMMAND_MODULES: readonly { commands: readonly string[]; load: () => Promise<Register> }[] = [
  { commands: ['run', 'validate', 'preview'], load: async () => (await import('./commands/run.ts')).registerRunCommands },
  { commands: ['runs', 'show'], load: async () => (await import('./commands/history.ts')).registerHistoryCommands },
  { commands: ['scheduler', 'schedule'], load: async () => (await import('./commands/schedule.ts')).registerScheduleCommands },
  { commands: ['serve'], load: async () => (await import('./commands/serve.ts')).registerServeCommands },
  { commands: ['connections'], load: async () => (await import('./commands/connections.ts')).registerConnectionCommands },
  { commands: ['export', 'engines'], load: async () => (await import('./commands/engines.ts')).registerEngineCommands },
  { commands: ['env'], load: async () => (await import('./commands/env.ts')).registerEnvCommands },
  { commands: ['import', 'export-notebook'], load: async () => (await import('./commands/notebooks.ts')).registerNotebookCommands },
  { commands: ['diff', 'profile'], load: async () => (await import('./commands/monitor.ts')).registerMonitorCommands },
  { commands: ['endpoints'], load: async () => (await import('./commands/endpoints.ts')).registerEndpointCommands },
];

/**
 * The program with the commands `args` can reach: the named command's module only, or
 * every module when no known command is named (the general help, an unknown command).
 */
export async function buildProgram(args?: readonly string[]): Promise<Command> {
  const program = new Command('aqueduct')
    .description('Build, run, check and publish data workflows on your laptop.')
    .option('--home <dir>', 'app data folder (default: $AQUEDUCT_HOME or the OS app-data folder)')
    .showHelpAfterError()
    .exitOverride();
  const name = args && firstWord(args);
  const own = COMMAND_MODULES.filter((m) => name !== undefined && m.commands.includes(name));
  const modules = own.length > 0 ? own : COMMAND_MODULES;
  for (const register of await Promise.all(modules.map((m) => m.load()))) register(program);
  return program;
}

/** The first argument that is not a global option or its value. */
function firstWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--home') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
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
  const program = await buildProgram(argv.slice(2));
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
