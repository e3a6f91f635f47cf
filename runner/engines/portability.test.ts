// What a bundle leaves out and what it refuses: reports, their deliveries and the python
// nodes that only draw their figures run in the app and are left out (not refused), so a
// workflow that reports can still be exported.
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CHURN } from '../../test/helpers/home.ts';
import { loadWorkflowOrThrow } from '../spec/load.ts';
import type { Workflow } from '../spec/workflow.ts';
import { appOnlyNodes, portabilityProblems } from './portability.ts';

describe('portability of reports', () => {
  it('leaves the example\'s report and deliveries out, and refuses nothing', () => {
    const w = loadWorkflowOrThrow(EXAMPLE_CHURN);
    expect(appOnlyNodes(w.nodes).map((r) => r.nodeId)).toEqual(['churn_report', 'report_to_folder', 'email_report']);
    expect(portabilityProblems(w)).toEqual([]);
  });

  it('leaves out a python node that draws a figure for a report, but refuses what the runtime cannot do', () => {
    const w = {
      folder: '/nowhere',
      nodes: [
        { id: 'fig', kind: 'python', inputs: [], retries: 0 },
        { id: 'rep', kind: 'report', inputs: ['fig'], retries: 0, title: 'R', charts: [{ figure: 'fig' }] },
        { id: 'out', kind: 'publish', inputs: ['fig'], retries: 0, destination: { type: 'snowflake', connection: 's', table: 't' }, mode: 'replace' },
      ],
    } as unknown as Workflow;
    expect(appOnlyNodes(w.nodes).map((r) => [r.nodeId, r.why])).toEqual([
      ['fig', 'it draws a figure for a report, which runs in the app only'],
      ['rep', 'reports are rendered by the app; run the workflow in the app to get them'],
    ]);
    expect(portabilityProblems(w).map((r) => r.nodeId)).toEqual(['out']);
  });
});
