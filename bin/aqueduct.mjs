#!/usr/bin/env node
// The `aqueduct` command. It runs the compiled bundle (dist/cli, made by `npm install`,
// `npm start` and `npm test`) so a call starts in a few tens of milliseconds; in a
// checkout whose sources changed since the last build it runs them through tsx instead.
import { pathToFileURL } from 'node:url';
import { CLI_ENTRY, cliBundleFresh } from './cli-bundle.mjs';

let main;
if (cliBundleFresh()) {
  ({ main } = await import(pathToFileURL(CLI_ENTRY).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../runner/cli/main.ts'));
}
process.exitCode = await main(process.argv);
