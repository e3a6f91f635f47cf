// `aqueduct serve`: the app headless, in a browser. Binds only the host given, prints the
// address with its access token, and runs until Ctrl-C / SIGTERM, then closes the engine
// (runs in flight are cancelled and recorded as such).
import type { Command } from 'commander';
import { heldToken } from '../../secrets/process-secrets.ts';
import { tokenProblem } from '../../server/auth.ts';
import { isLoopbackHost } from '../../server/host-check.ts';
import { EXIT, ExitCode } from '../exit.ts';
import { dim, red, yellow } from '../format.ts';
import { wholeNumber } from './options.ts';

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('serve the app to a browser (headless mode), protected by a token')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', wholeNumber('--port', 0, 65535), 0)
    .option('--open-example', 'create a fresh copy of the customer-churn example and open the app on it')
    .option('--python <interpreter>', 'Python interpreter for python nodes')
    .action(async (opts: { host: string; port: number; openExample?: boolean; python?: string }, cmd: Command) => {
      const home = cmd.optsWithGlobals().home as string | undefined;
      const given = heldToken();
      const weak = given === undefined ? undefined : tokenProblem(given);
      if (weak) {
        console.error(red('error: ') + weak);
        throw new ExitCode(EXIT.invalid);
      }
      if (!isLoopbackHost(opts.host)) {
        console.error(yellow('warning: ') + `listening on ${opts.host} beyond this machine: plain HTTP carries the token in clear to anyone on the network path; prefer the default 127.0.0.1 and an SSH tunnel (ssh -L 4173:127.0.0.1:4173 <this host>)`);
      }
      const { startServer } = await import('../../server/server.ts');
      const server = await startServer({ host: opts.host, port: opts.port, home, python: opts.python, openExample: opts.openExample });
      server.engine.prewarmPython(); // the first Python node need not wait for pandas' import
      console.log(`Aqueduct is running at ${server.url}`);
      console.log(dim(`data folder ${server.engine.paths.home} · press Ctrl-C to stop`));
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          console.log(dim(`\n${signal}: stopping…`));
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          void server.close().then(resolve);
        };
        const onInt = () => stop('SIGINT');
        const onTerm = () => stop('SIGTERM');
        process.on('SIGINT', onInt);
        process.on('SIGTERM', onTerm);
      });
    });
}
