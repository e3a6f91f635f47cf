// A small scoring workflow with a report (a Vega-Lite bar chart, a formatted table, text
// with metric and parameter placeholders) and the deliveries a test asks for, plus the
// saved connections deliveries go through.
import type { Engine } from '../../runner/engine.ts';
import { ConnectionService } from '../../runner/connections/service.ts';
import { makeWorkflow } from '../helpers/workflows.ts';
import { MAIL_PASSWORD, MAIL_USER } from '../helpers/mail-server.ts';

export function scoresCsv(n: number): string {
  const bands = ['low', 'medium', 'high'];
  const lines = ['customer_id,band,score'];
  for (let i = 1; i <= n; i++) lines.push(`${i},${bands[i % 3]},${((i * 37) % 100) / 100}`);
  return lines.join('\n') + '\n';
}

export interface ReportWorkflowOptions {
  rows?: number;
  deliveries?: Record<string, unknown>[];
  /** nodes added as they are (e.g. a failing check) */
  extraNodes?: Record<string, unknown>[];
  extraFiles?: Record<string, string>;
  owner?: { name: string; email: string };
  label?: string;
}

export const CHURN_CHART = {
  title: 'Customers by band',
  input: 'by_band',
  vega_lite: {
    mark: 'bar',
    encoding: { x: { field: 'band', type: 'nominal', sort: ['low', 'medium', 'high'] }, y: { field: 'customers', type: 'quantitative' } },
  },
};

export function reportWorkflow(o: ReportWorkflowOptions = {}): string {
  return makeWorkflow(
    {
      name: 'Scores report',
      parameters: { threshold: { type: 'number', default: 0.5 } },
      ...(o.owner ? { owner: o.owner } : {}),
      nodes: [
        { id: 'scores', kind: 'source', file: 'data/scores.csv' },
        { id: 'by_band', kind: 'sql', inputs: ['scores'] },
        { id: 'mean_score', kind: 'metric', inputs: ['scores'] },
        {
          id: 'summary',
          kind: 'report',
          inputs: ['scores', 'by_band', 'mean_score'],
          title: 'Scores: mean {{mean_score|percent:1}}',
          text: '# This week\nThe mean score is **{{mean_score|number:3}}**; customers above {{threshold}} count as high risk.\n\n- one row per customer\n- scored by the model',
          tables: [{ input: 'scores', title: 'Scores', rows: 10, format: { score: 'percent:0' } }],
          charts: [CHURN_CHART],
        },
        ...(o.deliveries ?? []),
        ...(o.extraNodes ?? []),
      ],
    },
    {
      'data/scores.csv': scoresCsv(o.rows ?? 300),
      'nodes/by_band.sql': 'SELECT band, count(*) AS customers FROM scores GROUP BY band\n',
      'nodes/mean_score.sql': 'SELECT avg(score) FROM scores\n',
      ...o.extraFiles,
    },
    o.label ?? 'report',
  );
}

/** The test's mail server speaks no TLS: a plain login is allowed, explicitly, because it is on loopback (unless `plain` is false). */
export function addSmtpConnection(engine: Engine, port: number, name = 'smtp', plain = true): void {
  new ConnectionService(engine.store.db, engine.paths.home).create({
    name, type: 'smtp', host: '127.0.0.1', port, user: MAIL_USER, password: MAIL_PASSWORD, from: 'Aqueduct reports <reports@example.com>',
    ...(plain ? { allowPlainAuth: true } : {}),
  });
}

export function addSlackConnection(engine: Engine, apiUrl: string, token: string, name = 'slack'): void {
  new ConnectionService(engine.store.db, engine.paths.home).create({ name, type: 'slack', token, apiUrl });
}
