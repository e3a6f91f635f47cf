#!/usr/bin/env node
// Bundles the Electron main process and the preload into main/dist (CommonJS, as Electron
// loads them). The sandboxed preload may only require `electron`, so it is one file with
// everything else inlined. The runner process is not bundled: it runs the TypeScript
// sources through tsx, like the CLI (see main/runner-host/entry.mjs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildMain({ quiet = false } = {}) {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    sourcemap: 'linked',
    logLevel: quiet ? 'warning' : 'info',
    absWorkingDir: root,
  };
  await build({ ...common, entryPoints: ['main/app/main.ts'], outfile: 'main/dist/main.cjs' });
  await build({ ...common, entryPoints: ['main/preload/preload.ts'], outfile: 'main/dist/preload.cjs' });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildMain();
}
