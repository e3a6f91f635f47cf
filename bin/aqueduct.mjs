#!/usr/bin/env node
// The `aqueduct` command. Our sources are TypeScript run through tsx, so a checkout
// works with `npx aqueduct` and no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../runner/cli/main.ts');
process.exitCode = await main(process.argv);
