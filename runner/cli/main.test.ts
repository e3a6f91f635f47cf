// The command table main.ts routes by: a command that named the wrong module would load
// nothing and be reported as unknown, so the table must list exactly what each registers.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, buildProgram } from './main.ts';

describe('the command table', () => {
  it('names, for each module, exactly the top-level commands it registers', async () => {
    for (const m of COMMAND_MODULES) {
      const program = new Command();
      (await m.load())(program);
      expect(program.commands.map((c) => c.name())).toEqual(m.commands);
    }
  });

  it('loads only the named command, and every command for the general help', async () => {
    expect((await buildProgram(['--home', '/tmp/x', 'runs'])).commands.map((c) => c.name())).toEqual(['runs', 'show']);
    const all = (await buildProgram(['--help'])).commands.map((c) => c.name());
    expect(all).toEqual(COMMAND_MODULES.flatMap((m) => m.commands));
  });
});
