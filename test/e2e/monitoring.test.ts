// Monitoring in the real UI: the Columns view of an output (its profile, sparklines over
// runs), Compare's row diff agreeing with `aqueduct diff --json`, a check made from a
// template in the node settings (saved to workflow.yaml, run, its sentence shown), and
// the Monitor page with a failure's reason one click away.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataDiff, KeyedDiff } from '../../runner/api/monitor-types.ts';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';
import { canvasNode, expectNoPageErrors, startApp, waitForRunEnd, type E2eApp } from './app.ts';

const V1 = 'id,name,score,city\n1,Ada,1.5,Zürich\n2,Bob,2.0,\n3,Çelik,3.25,İstanbul\n4,Dan,,Oslo\n5,Eve,5.0,Paris\n6,Fay,6.0,Köln\n';
const V2 = 'id,name,score,city\n1,Ada,1.5,Zürich\n2,Bob,2.0,Berlin\n3,Çelik,3.75,İstanbul\n4,Dan,4.0,Oslo\n5,Eve,5.0,Paris\n5,Eve2,5.0,Paris\n7,Gül,7.0,Ankara\n';

function workflow(): string {
  const dir = path.join(tempHome('e2e-monitoring-wf'), 'people');
  fs.mkdirSync(path.join(dir, 'nodes'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'data'));
  fs.writeFileSync(path.join(dir, 'data/people.csv'), V1);
  fs.writeFileSync(path.join(dir, 'workflow.yaml'), YAML.stringify({
    name: 'People',
    nodes: [
      { id: 'people', kind: 'source', file: 'data/people.csv' },
      { id: 'clean', kind: 'sql', inputs: ['people'] },
      { id: 'city_known', kind: 'check', inputs: ['clean'], severity: 'warning' },
    ],
  }));
  fs.writeFileSync(path.join(dir, 'nodes/clean.sql'), 'SELECT * FROM people');
  fs.writeFileSync(path.join(dir, 'nodes/city_known.sql'), 'SELECT true');
  return dir;
}

describe('monitoring in the app', () => {
  let app: E2eApp;
  let folder: string;
  beforeAll(async () => {
    app = await startApp('e2e-monitoring');
  });
  afterAll(async () => {
    await app?.close();
  });

  const run = async () => {
    await app.page.getByRole('toolbar', { name: 'Workflow actions' }).getByRole('button', { name: /^Run/ }).click();
    return waitForRunEnd(app.page);
  };

  it('shows the column profile of an output, with sparklines over runs', async () => {
    const { page } = app;
    folder = workflow();
    await page.getByRole('button', { name: /Open folder/ }).click();
    await page.getByLabel('Folder that holds workflow.yaml').fill(folder);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    expect(await run()).toBe('succeeded');
    fs.writeFileSync(path.join(folder, 'data/people.csv'), V2);
    expect(await run()).toBe('succeeded');

    await canvasNode(page, 'clean').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: clean' });
    await inspector.getByRole('tab', { name: 'Output' }).click();
    await inspector.getByRole('button', { name: 'Columns' }).click();
    const profile = inspector.getByRole('table', { name: 'Column profile of clean' });
    await profile.waitFor();
    const city = profile.getByRole('row', { name: 'Column city' });
    expect(await city.getAttribute('data-nulls')).toBe('0');
    expect(await city.getAttribute('data-distinct')).toBe('6');
    expect(await city.getByLabel('Top values of city').textContent()).toMatch(/^Paris · 28\.6%/);
    // score: one null in run 1, none in run 2: the sparkline has a point per run
    const score = profile.getByRole('row', { name: 'Column score' });
    expect(await score.textContent()).toContain('1.5 … 7');
    await score.getByRole('img', { name: /^Histogram of score from 1\.5 to 7$/ }).waitFor();
    expect(await profile.getByRole('img', { name: 'Null rate of city over 2 runs' }).getAttribute('data-points')).toBe('2');
    await app.shot('output-columns-profile');
    expectNoPageErrors(app.errors);
  });

  it("Compare's row diff shows what aqueduct diff says, changed cells marked", async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Runs' }).click();
    const runs = page.getByRole('table', { name: 'Runs' });
    await expect.poll(() => runs.locator('tbody tr').count()).toBe(2);
    const picks = runs.getByRole('checkbox', { name: /Pick run .* to compare/ });
    await picks.nth(0).check();
    await picks.nth(1).check();
    await page.getByRole('button', { name: 'Compare' }).click();
    const view = page.getByRole('region', { name: 'Run comparison' });
    await view.getByRole('table', { name: 'Output changes' }).getByRole('row', { name: 'Output of clean' }).getByRole('button', { name: 'Diff rows' }).click();
    const panel = view.getByRole('region', { name: 'Data diff of clean' });
    // the key is suggested from the columns both runs have
    expect(await panel.getByLabel('Key columns').inputValue()).toBe('id');
    await panel.getByRole('button', { name: 'Compare rows' }).click();
    const result = panel.getByLabel('Diff result');
    await result.waitFor();

    const [b, a] = app.server.engine.store.listRuns({ kind: 'run' });
    const cli = spawnSync(process.execPath, ['bin/aqueduct.mjs', '--home', app.server.engine.paths.home, 'diff', a!.id, b!.id, 'clean', '--key', 'id', '--json'], {
      encoding: 'utf8', env: { ...process.env, AQUEDUCT_PYTHON: testPython(), NO_COLOR: '1' }, timeout: 60_000,
    });
    expect(cli.status, cli.stderr).toBe(0);
    const d = JSON.parse(cli.stdout) as DataDiff;
    const r = d.result as KeyedDiff;
    for (const [label, n] of [['added', r.added], ['removed', r.removed], ['changed', r.changed], ['the same', r.unchanged]] as const) {
      expect(await result.getByRole('group', { name: 'Row changes' }).getByLabel(`${label}: ${n}`).getAttribute('data-count')).toBe(String(n));
    }
    expect([r.added, r.removed, r.changed, r.unchanged]).toEqual([1, 1, 3, 1]);
    for (const c of r.columnChanges) {
      expect(await result.getByRole('row', { name: `Column ${c.column}` }).locator('[data-changed-count]').getAttribute('data-changed-count')).toBe(String(c.changed));
    }
    expect(await result.getByRole('alert', { name: 'Duplicate keys' }).textContent()).toContain('1 in B (2 rows)');
    const changed = result.getByRole('table', { name: 'Changed rows' });
    // each changed cell is marked on both sides (A and B)
    expect(await changed.locator('td[data-changed]').count()).toBe(2 * r.changedSample.reduce((n, x) => n + x.changed.length, 0));
    const row2 = changed.getByRole('rowgroup', { name: 'Changed row 2' });
    expect(await row2.locator('tr.diff-side-b td[data-changed]').allTextContents()).toEqual(['Berlin']);
    expect(await row2.locator('tr.diff-side-a td[data-column="city"]').textContent()).toBe('null');
    await panel.scrollIntoViewIfNeeded();
    await app.shot('compare-data-diff');
    await view.getByRole('button', { name: 'Back to run history' }).click();
    expectNoPageErrors(app.errors);
  });

  it('makes a check from a template in the settings: saved without code, run, its sentence shown', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Graph' }).click();
    await canvasNode(page, 'city_known').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: city_known' });
    await inspector.getByRole('tab', { name: 'Settings' }).click();
    await inspector.getByLabel('What to check').selectOption('accepted_values');
    await inspector.getByLabel('Column', { exact: true }).fill('city');
    const values = inspector.getByLabel('Accepted values (comma-separated)');
    await values.fill('Zürich, İstanbul, Oslo, Paris, Berlin');
    await values.blur();
    await app.shot('template-check-form');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => YAML.parse(fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8')).nodes[2].template).toEqual({
      type: 'accepted_values', column: 'city', values: ['Zürich', 'İstanbul', 'Oslo', 'Paris', 'Berlin'],
    });
    expect(await run()).toBe('succeeded_with_warnings');
    await canvasNode(page, 'city_known').click();
    await expect.poll(() => inspector.getByRole('status', { name: 'Warning in city_known' }).textContent()).toContain('1 row of clean.city holds values not in [Zürich, İstanbul, Oslo, Paris, Berlin]: "Ankara" (1 row)');
    expectNoPageErrors(app.errors);
  });

  it("the Monitor page lists the workflow and tells why its last run warned", async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Monitor' }).click();
    const table = page.getByRole('table', { name: 'What runs where' });
    const row = table.getByRole('row', { name: 'Workflow People' });
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('succeeded_with_warnings');
    await row.getByRole('button', { name: /why\?/ }).click();
    const why = row.getByRole('region', { name: 'Why People warned' });
    expect(await why.textContent()).toContain('city_known (warning): 1 row of clean.city holds values not in');
    await app.shot('monitor-page');
    expectNoPageErrors(app.errors);
  });
});
