#!/usr/bin/env node
// Bundles the Electron main process and the preload into main/dist (CommonJS, as Electron
// loads them). The sandboxed preload may only require `electron`, so it is one file with
// everything else inlined. The runner process is bundled too (main/dist/runner-host.mjs,
// plain JavaScript, packages left to node_modules), so the packaged app needs no tsx at
// run time and can live in an asar archive.
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
  await buildRunnerHost({ quiet });
}

/** The desktop's runner process as one ES module; dependencies (native ones included) load from node_modules. */
export async function buildRunnerHost({ quiet = false, outfile = 'main/dist/runner-host.mjs' } = {}) {
  await build({
    entryPoints: ['main/runner-host/host.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    external: ['electron'],
    sourcemap: 'linked',
    logLevel: quiet ? 'warning' : 'info',
    absWorkingDir: root,
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildMain();
}
