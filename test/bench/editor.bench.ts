// Editor benchmark in the real UI (headless server + Chromium, as the e2e tests run it):
// a generated 1,000-node workflow, measured from navigation to every node element on the
// canvas, and the frame rate while the canvas is panned with the mouse, at the zoom the
// editor opens with (whole graph in view) and at 100%. Baselines from the same run: a
// one-node workflow's open time and pan frame rate. Targets: open ≤ 1 s, pan ≥ 30 fps.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import YAML from 'yaml';
import { startServer, type RunningServer } from '../../runner/server/server.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { figure, heading, median, ratio } from './report.ts';

const CHAINS = 50;
/** samples per figure: machines here are noisy, so the best is printed next to the median */
const RUNS = 5;
const LENGTH = 20;

/** `chains` chains of `length` SQL nodes, each starting at its own CSV source, laid out in rows. */
function generated(dir: string, chains: number, length: number): number {
  fs.mkdirSync(path.join(dir, 'nodes'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'data.csv'), 'x\n1\n');
  const nodes: object[] = [];
  const layout: Record<string, { x: number; y: number }> = {};
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < length; i++) {
      const id = `c${c}_n${i}`;
      layout[id] = { x: i * 258, y: c * 90 };
      if (i === 0) {
        nodes.push({ id, kind: 'source', file: 'data.csv' });
        continue;
      }
      const up = `c${c}_n${i - 1}`;
      nodes.push({ id, kind: 'sql', inputs: [up] });
      fs.writeFileSync(path.join(dir, 'nodes', `${id}.sql`), `SELECT x + 1 AS x FROM ${up}\n`);
    }
  }
  fs.writeFileSync(path.join(dir, 'workflow.yaml'), YAML.stringify({ name: `${nodes.length} nodes`, nodes, layout }));
  return nodes.length;
}

/** Opens the workflow in a fresh page; ms from navigation start until `count` node elements exist. */
async function openTime(browser: Browser, server: RunningServer, id: string, count: number): Promise<{ ms: number; page: Page }> {
  // bypassCSP: the page's CSP forbids eval, which string predicates need
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.url}&workflow=${encodeURIComponent(id)}`);
  const handle = await page.waitForFunction(`document.querySelectorAll('.react-flow__node').length >= ${count} ? performance.now() : false`, undefined, {
    polling: 'raf',
    timeout: 120_000,
  });
  return { ms: (await handle.jsonValue()) as number, page };
}

/** Frames per second while the mouse drags the empty canvas for about two seconds. */
async function panFps(page: Page): Promise<number> {
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  // start on empty background: the palette sits top-left, nodes may be anywhere
  const x0 = pane.x + pane.width * 0.5;
  const y0 = pane.y + pane.height - 40;
  // as source text: functions compiled by tsx carry helpers the page does not have
  await page.evaluate(`(() => {
    window.__frames = 0;
    window.__counting = true;
    const tick = () => { if (!window.__counting) return; window.__frames++; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  const t0 = Date.now();
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  const steps = 120;
  for (let i = 1; i <= steps; i++) {
    const a = (i / steps) * Math.PI * 2;
    await page.mouse.move(x0 + Math.sin(a) * 300, y0 - (1 - Math.cos(a)) * 150);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
  const seconds = (Date.now() - t0) / 1000;
  const frames = (await page.evaluate('window.__counting = false, window.__frames')) as number;
  return frames / seconds;
}

async function zoomTo100(page: Page): Promise<void> {
  // React Flow's zoom controls step by 1.2×; the viewport's transform says where we are
  for (let k = 0; k < 20; k++) {
    const zoom = (await page.evaluate("new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')).transform).a")) as number;
    if (zoom >= 0.95) return;
    await page.getByRole('button', { name: 'Zoom In' }).click();
    await page.waitForTimeout(60);
  }
}

export async function benchEditor(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-bench-editor-'));
  const server = await startServer({ host: '127.0.0.1', port: 0, home: path.join(root, 'home'), seedExample: false });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const one = path.join(root, 'one');
    const many = path.join(root, 'many');
    generated(one, 1, 1);
    const n = generated(many, CHAINS, LENGTH);
    const oneId = server.engine.openWorkflow(one).summary.id;
    const manyId = server.engine.openWorkflow(many).summary.id;

    const measure = async (id: string, count: number) => {
      const opens: number[] = [];
      const fitFps: number[] = [];
      const fullFps: number[] = [];
      for (let k = 0; k < RUNS; k++) {
        const { ms, page } = await openTime(browser!, server, id, count);
        opens.push(ms);
        await page.waitForTimeout(300);
        fitFps.push(await panFps(page));
        await zoomTo100(page);
        fullFps.push(await panFps(page));
        await page.context().close();
      }
      return { open: median(opens), bestOpen: Math.min(...opens), fitFps: median(fitFps), fullFps: median(fullFps) };
    };
    await measure(oneId, 1); // warm-up: server caches, browser code cache
    const base = await measure(oneId, 1);
    const big = await measure(manyId, n);

    heading(`Editor: a ${n}-node workflow in Chromium (median of ${RUNS})`);
    figure('open: navigation → all node elements (1 node, baseline)', base.open, 'ms');
    figure(`open: navigation → all node elements (${n} nodes)`, big.open, 'ms', '(target ≤ 1000 ms)');
    figure(`open, best of ${RUNS} (1 node, baseline)`, base.bestOpen, 'ms');
    figure(`open, best of ${RUNS} (${n} nodes)`, big.bestOpen, 'ms', '(target ≤ 1000 ms)');
    ratio(`open ${n} nodes / 1 node`, big.open, base.open);
    figure('pan, whole graph in view (1 node, baseline)', base.fitFps, 'fps');
    figure(`pan, whole graph in view (${n} nodes)`, big.fitFps, 'fps', '(target ≥ 30 fps)');
    figure('pan at 100% zoom (1 node, baseline)', base.fullFps, 'fps');
    figure(`pan at 100% zoom (${n} nodes)`, big.fullFps, 'fps', '(target ≥ 30 fps)');
    ratio(`pan fps ${n} nodes / 1 node (whole graph in view)`, big.fitFps, base.fitFps);
  } finally {
    await browser?.close();
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
