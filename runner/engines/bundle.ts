// Compiles one workflow version into a self-contained folder any engine can run: the
// manifest (definition, version hash, nodes in plan order), node code, the data files
// the sources read (copied; Excel sheets converted to CSV exactly as the local runner
// does), and the Python runtime with the app's own worker code.
import fs from 'node:fs';
import path from 'node:path';
import { RESOURCES_DIR } from '../app-root.ts';
import { readExcelToCsv } from '../exec/kinds/excel-source.ts';
import { formatOf, readOptionsOf } from '../exec/kinds/source-reader.ts';
import { topoOrder, versionOf } from '../exec/plan.ts';
import type { Workflow } from '../spec/workflow.ts';
import { compileTemplate, templateHistory } from '../monitor/checks/compile-template.ts';
import { NO_HISTORY, type RunHistory } from '../monitor/history.ts';
import { resolveBand } from '../monitor/metric-bands.ts';
import type { Band } from '../spec/monitor-schema.ts';
import { BUNDLE_FORMAT, ExportRefusedError, MANIFEST_FILE, type BundleManifest, type BundleNode, type EngineName } from './bundle-format.ts';
import { bundleRequirements } from './bundle-requirements.ts';
import { appOnlyNodes, canonicalDestination, portabilityProblems } from './portability.ts';

export const RUNTIME_PACKAGE = path.join(RESOURCES_DIR, 'runtime', 'aqueduct_runtime');
export const WORKER_SCRIPT = path.join(RESOURCES_DIR, 'python', 'aqueduct_worker.py');
export const RUNTIME_VERSION = '1';

export interface BundleOptions {
  engine: EngineName;
  /** settings (no secrets) of a named connection, if the app knows it */
  connectionSettings?: (name: string) => Record<string, unknown> | undefined;
  /** extra pip requirement lines (e.g. scikit-learn) besides the workflow's requirements.txt */
  requirements?: string[];
  now?: () => number;
  /** the workflow's runs so far: template checks and learned bounds compare with them (baked in) */
  history?: RunHistory;
}

/** Writes the bundle into `dir` (created; a previous bundle there is replaced). */
export async function writeBundle(whole: Workflow, dir: string, o: BundleOptions): Promise<BundleManifest> {
  const leftOut = appOnlyNodes(whole.nodes);
  const skip = new Set(leftOut.map((r) => r.nodeId));
  // the version stays the whole workflow's: the bundle runs it, less what runs in the app only
  const version = versionOf(whole);
  const w: Workflow = { ...whole, nodes: whole.nodes.filter((n) => !skip.has(n.id)) };
  const refusals = portabilityProblems(w);
  if (refusals.length) throw new ExportRefusedError(refusals);
  const postgres = w.nodes.some((n) => n.kind === 'publish' && canonicalDestination(n.destination.type) === 'postgres');
  const requirements = bundleRequirements(w, o.requirements ?? [], postgres);
  prepareFolder(dir);
  const nodes: BundleNode[] = [];
  const dataNames = new Set<string>();
  for (const node of w.nodes) {
    const { id, kind, inputs } = node;
    const b: BundleNode = { id, kind, inputs, timeout: node.timeout, retries: node.retries };
    if (node.source !== undefined) {
      const ext = node.language === 'python' ? 'py' : 'sql';
      b.code = `nodes/${id}.${ext}`;
      b.codeFile = node.codeFile;
      b.language = node.language;
      write(dir, b.code, node.source);
    }
    if (node.kind === 'check') b.severity = node.severity;
    if (node.kind === 'check' && node.template) {
      // the template compiled once, with the history it compares with baked in
      const input = node.inputs[0] ?? '';
      Object.assign(b, { template: node.template, code: `nodes/${id}.sql`, codeFile: `the ${node.template.type} template`, language: 'sql' });
      write(dir, b.code!, compileTemplate(node.template, input, templateHistory(node.template, input, o.history ?? NO_HISTORY)) + '\n');
    }
    if (node.kind === 'metric') {
      const history = (runs: number) => (o.history ?? NO_HISTORY).metricValues(id, runs);
      Object.assign(b, { severity: node.severity, bounds: bakedBand(node.bounds, history), warnBounds: bakedBand(node.warn_bounds, history) });
    }
    if (node.kind === 'publish') Object.assign(b, { destination: node.destination, mode: node.mode, key: node.key });
    if (node.kind === 'source' && node.file) {
      Object.assign(b, await copyData(w, node.file, node.format, node.sheet, dir, dataNames));
      // the options as the local reader applies them (an Excel sheet is shipped as our CSV)
      const format = formatOf(node.file, node.format);
      const read = format ? readOptionsOf(node, format) : {};
      if (Object.keys(read).length) b.read = read;
    }
    nodes.push(b);
  }
  const connections: BundleManifest['connections'] = {};
  for (const node of w.nodes) {
    const name = node.kind === 'publish' ? node.destination.connection : undefined;
    if (name) connections[name] = { type: canonicalDestination(node.kind === 'publish' ? node.destination.type : ''), ...o.connectionSettings?.(name) };
  }
  copyRuntime(dir);
  write(dir, 'requirements.txt', requirements.text);
  const def = w.definition;
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    runtimeVersion: RUNTIME_VERSION,
    engine: o.engine,
    exportedAt: (o.now ?? Date.now)(),
    workflow: { name: def.name, description: def.description, folder: w.folder },
    version,
    parameters: def.parameters,
    schedule: def.schedule,
    order: topoOrder(w.nodes),
    nodes,
    connections,
    requirements: requirements.pins,
    ...(requirements.lockHash ? { lockHash: requirements.lockHash } : {}),
    ...(leftOut.length ? { leftOut } : {}),
  };
  write(dir, MANIFEST_FILE, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** A band as the runtime reads it: $parameters kept, history learned now (no bound yet: none). */
function bakedBand(band: Band | undefined, history: (runs: number) => number[]): BundleNode['bounds'] {
  if (!band) return undefined;
  if (!band.history) return { lower: band.lower, upper: band.upper };
  const learned = resolveBand(band, {}, history, 'bounds');
  return learned ? { lower: learned.lower, upper: learned.upper, learnedFrom: learned.learnedFrom } : undefined;
}

function prepareFolder(dir: string): void {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) {
      throw new Error(`${dir} is not empty and holds no earlier bundle: pick an empty or new folder for --out`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
}

function write(dir: string, rel: string, text: string): void {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Copies a source's file into data/ (keeping its relative path when it is inside the folder). */
async function copyData(w: Workflow, file: string, format: string | undefined, sheet: string | undefined, dir: string, taken: Set<string>) {
  const abs = path.resolve(w.folder, file);
  const rel = path.relative(w.folder, abs);
  const inside = !rel.startsWith('..') && !path.isAbsolute(rel);
  let target = inside ? (rel.split(path.sep)[0] === 'data' ? rel : path.join('data', rel)) : path.join('data', 'external', path.basename(abs));
  for (let i = 2; taken.has(target); i++) target = path.join(path.dirname(target), `${i}-${path.basename(target)}`);
  taken.add(target);
  fs.mkdirSync(path.dirname(path.join(dir, target)), { recursive: true });
  const isExcel = format === 'excel' || (!format && path.extname(abs).toLowerCase() === '.xlsx');
  if (isExcel) {
    // the local runner reads a sheet by converting it to CSV first: the bundle ships that CSV
    const csv = `${target}.csv`;
    await readExcelToCsv(abs, file, sheet, path.join(dir, csv));
    return { file: toPosix(csv), originalFile: file, format: 'csv', originalFormat: 'excel' };
  }
  fs.copyFileSync(abs, path.join(dir, target));
  return { file: toPosix(target), originalFile: file, format };
}

const toPosix = (p: string) => p.split(path.sep).join('/');

function copyRuntime(dir: string): void {
  const dest = path.join(dir, 'aqueduct_runtime');
  fs.mkdirSync(dest, { recursive: true });
  for (const f of fs.readdirSync(RUNTIME_PACKAGE)) {
    if (f.endsWith('.py')) fs.copyFileSync(path.join(RUNTIME_PACKAGE, f), path.join(dest, f));
  }
  fs.copyFileSync(WORKER_SCRIPT, path.join(dir, 'aqueduct_worker.py'));
}
