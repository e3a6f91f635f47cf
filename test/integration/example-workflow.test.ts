// The bundled churn example end to end: real DuckDB, real Python with pandas and
// scikit-learn, real files published; every number checked against an independent
// computation with DuckDB over the same CSV.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../runner/engine.ts';
import { EXAMPLE_CHURN, copyWorkflow } from '../helpers/home.ts';
import { openTestEngine } from '../helpers/workflows.ts';

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

describe('the customer churn example', () => {
  let engine: Engine;
  let folder: string;
  beforeAll(async () => {
    engine = await openTestEngine('example');
    folder = copyWorkflow(EXAMPLE_CHURN, 'example');
  });
  afterAll(() => engine.close());

  it('runs every node, passes its checks, measures and publishes 2000 predictions', async () => {
    const run = await engine.run(folder, { trigger: 'test' });
    expect(run.status, run.error).toBe('succeeded');
    // on a fresh laptop (no SMTP connection) the email is skipped, saying why: the run stays green
    expect(run.nodes.map((n) => [n.nodeId, n.status]).filter(([, s]) => s !== 'succeeded')).toEqual([['email_report', 'skipped']]);
    expect(run.nodes.find((n) => n.nodeId === 'email_report')?.error?.message).toBe('not sent: no SMTP connection "smtp" is configured: add one under Connections (type smtp), then run again');
    expect(run.nodes).toHaveLength(14);

    const byId = Object.fromEntries(run.nodes.map((n) => [n.nodeId, n]));
    expect(byId.customers!.rows).toBe(2000);
    expect(byId.predictions!.rows).toBe(2000);
    expect(byId.predictions!.columns!.map((c) => c.name)).toEqual(['customer_id', 'region', 'plan', 'churn_probability', 'risk_band']);

    expect(run.checks.map((c) => [c.nodeId, c.passed]).sort()).toEqual([
      ['no_missing_scores', true],
      ['probabilities_in_range', true],
    ]);
    const metrics = Object.fromEntries(run.metrics.map((m) => [m.nodeId, m.value]));
    expect(metrics.scored_customers).toBe(2000);
    const csv = path.join(folder, 'out/churn_predictions.csv');
    const [fromCsv] = await query(`SELECT count(*)::INT AS n, avg(churn_probability) AS mean, min(churn_probability) AS lo, max(churn_probability) AS hi FROM read_csv('${csv}')`);
    expect(fromCsv!.n).toBe(2000);
    expect(metrics.mean_churn_probability).toBeCloseTo(Number(fromCsv!.mean), 6);
    expect(Number(fromCsv!.lo)).toBeGreaterThanOrEqual(0);
    expect(Number(fromCsv!.hi)).toBeLessThanOrEqual(1);

    const wh = path.join(folder, 'out/warehouse.duckdb');
    const [fromDuck] = await query(`ATTACH '${wh}' AS wh (READ_ONLY); SELECT count(*)::INT AS n, count(*) FILTER (risk_band = 'high')::INT AS high FROM wh.churn_predictions`);
    expect(fromDuck!.n).toBe(2000);
    const [expectedHigh] = await query(`SELECT count(*)::INT AS n FROM read_csv('${csv}') WHERE churn_probability >= 0.5`);
    expect(fromDuck!.high).toBe(expectedHigh!.n);

    expect(run.publications.map((p) => [p.nodeId, p.rows]).sort()).toEqual([
      ['predictions_csv', 2000],
      ['predictions_duckdb', 2000],
      ['report_to_folder', 0],
    ]);
    // the churn report, copied where the team looks: its title carries the metric
    const html = fs.readFileSync(path.join(folder, 'out/reports/churn-report.html'), 'utf8');
    expect(html).toContain(`<h1>Customer churn: ${(Number(metrics.mean_churn_probability) * 100).toFixed(1)}% expected to leave</h1>`);
    expect(fs.readFileSync(path.join(folder, 'out/reports/churn-report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    const logs = engine.store.getLogs(run.id, 'churn_model').map((l) => l.line);
    expect(logs.join('\n')).toContain('training on 1700 customers with a known outcome, scoring 2000');
  });

  it('applies a parameter override and records it with the run', async () => {
    const run = await engine.run(folder, { params: { min_tenure_months: '24' }, trigger: 'test' });
    expect(run.status).toBe('succeeded');
    expect(run.params).toEqual({ min_tenure_months: 24, high_risk_threshold: 0.5 });
    const [expected] = await query(`SELECT count(*)::INT AS n FROM read_csv('${path.join(folder, 'data/customers.csv')}') WHERE tenure_months >= 24`);
    expect(run.metrics.find((m) => m.nodeId === 'scored_customers')!.value).toBe(expected!.n);
    expect(expected!.n).toBeLessThan(2000);
  });

  it('keeps every version that ran, so a run says what code it used', async () => {
    const runs = engine.store.listRuns({ workflowId: engine.store.findWorkflowByFolder(folder)!.id });
    expect(runs.length).toBeGreaterThanOrEqual(2);
    const def = engine.store.getVersion(runs[0]!.versionHash) as { code: Record<string, string> };
    expect(def.code.churn_model).toContain('LogisticRegression');
  });

  it('previews a node by running only it and its ancestors, then reuses unchanged ones', async () => {
    const first = await engine.preview(folder, 'predictions');
    expect(first.kind).toBe('preview');
    expect(first.nodes.map((n) => n.nodeId).sort()).toEqual(['churn_model', 'customers', 'features', 'predictions']);
    const page = await engine.readPreview(first.id, 'predictions', { limit: 5, orderBy: 'churn_probability', descending: true });
    expect(page.totalRows).toBe(2000);
    expect(page.rows).toHaveLength(5);
    const probs = page.rows.map((r) => Number(r.churn_probability));
    expect([...probs].sort((a, b) => b - a)).toEqual(probs);

    const second = await engine.preview(folder, 'predictions');
    const reused = second.nodes.filter((n) => n.cachedFrom).map((n) => n.nodeId).sort();
    expect(reused).toEqual(['churn_model', 'customers', 'features', 'predictions']);
    const again = await engine.readPreview(second.id, 'predictions', { limit: 1 });
    expect(again.totalRows).toBe(2000);
  });
});
