#!/usr/bin/env node
// Bundles the Electron main process and the preload into main/dist (CommonJS, as Electron
// loads them). The sandboxed preload may only require `electron`, so it is one file with
// everything else inlined. The runner process is bundled too (main/dist/runner-host.mjs,
// plain JavaScript, packages left to node_modules), so the packaged app needs no tsx at
// run time and can live in an asar archive. The `aqueduct` command is bundled the same way
// (dist/cli: one small entry and a chunk per command, loaded on demand).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CLI_DIR, CLI_INPUTS, cliBundleFresh } from '../bin/cli-bundle.mjs';

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

/**
 * The `aqueduct` command as plain JavaScript (bin/aqueduct.mjs runs it when it is fresh),
 * with the list of sources it was made from. Built beside dist/cli and swapped in, so a
 * command started meanwhile sees the old bundle or none (then it falls back to tsx).
 */
export async function buildCli({ quiet = false } = {}) {
  const builtAt = Date.now();
  const tmp = `${CLI_DIR}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const result = await build({
    entryPoints: { aqueduct: 'runner/cli/main.ts' },
    outdir: tmp,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [inlineOnly(CLI_INLINED_PACKAGES)],
    // commander is CommonJS: its require() of Node's modules needs a real require in ESM
    banner: { js: "import { createRequire as __aqueductRequire } from 'node:module'; const require = __aqueductRequire(import.meta.url);" },
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    metafile: true,
    logLevel: quiet ? 'warning' : 'info',
    absWorkingDir: root,
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
  fs.writeFileSync(path.join(tmp, path.basename(CLI_INPUTS)), JSON.stringify({ builtAt, inputs }));
  const old = `${CLI_DIR}.old-${process.pid}`;
  if (fs.existsSync(CLI_DIR)) fs.renameSync(CLI_DIR, old);
  try {
    fs.renameSync(tmp, CLI_DIR);
  } catch (e) {
    if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
    fs.rmSync(tmp, { recursive: true, force: true }); // another build (a parallel test run) got there first
  }
  fs.rmSync(old, { recursive: true, force: true });
}

/**
 * Pure-JavaScript packages every command loads, inlined into the CLI bundle: one parsed
 * chunk instead of hundreds of files to resolve and link (zod and yaml alone cost more
 * than starting Node). Everything else (native drivers, SDKs) stays in node_modules.
 */
const CLI_INLINED_PACKAGES = ['commander', 'croner', 'yaml', 'zod'];

function inlineOnly(names) {
  const inline = new RegExp(`^(${names.join('|')})(/|$)`);
  return {
    name: 'inline-only',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (a) => (a.kind === 'entry-point' || inline.test(a.path) ? undefined : { path: a.path, external: true }));
    },
  };
}

/** Builds the command's bundle unless it is already there and fresh. */
export async function ensureCli({ quiet = true } = {}) {
  if (!cliBundleFresh()) await buildCli({ quiet });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildMain();
  await buildCli();
}
