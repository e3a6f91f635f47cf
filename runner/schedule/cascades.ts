// Cascade triggers: "run B after A succeeds". Stored as edges between workflows; an edge
// that would close a cycle is refused with the cycle spelled out, since a cycle would
// run forever. Firing is claimed per (cascade, upstream run), so it happens once.
import type { ParamValue } from '../api/types.ts';
import type { Db } from '../store/db.ts';
import type { Row } from '../store/rows.ts';
import type { Cascade, CascadeFire } from './types.ts';
import { sql } from './statements.ts';

export class CascadeCycleError extends Error {
  constructor(readonly cycle: string[]) {
    super(`a cascade cannot close a cycle: ${cycle.join(' → ')} (remove one of these cascades first)`);
    this.name = 'CascadeCycleError';
  }
}

function mapCascade(r: Row): Cascade {
  return {
    id: String(r.id),
    upstreamWorkflowId: String(r.upstream_workflow_id),
    upstreamName: r.upstream_name == null ? undefined : String(r.upstream_name),
    downstreamWorkflowId: String(r.downstream_workflow_id),
    downstreamName: r.downstream_name == null ? undefined : String(r.downstream_name),
    params: JSON.parse(String(r.params)) as Record<string, ParamValue>,
    createdAt: Number(r.created_at),
  };
}

const SELECT = `SELECT c.*, u.name AS upstream_name, d.name AS downstream_name FROM cascades c
  JOIN workflows u ON u.id = c.upstream_workflow_id JOIN workflows d ON d.id = c.downstream_workflow_id`;

export class CascadeStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly newId: () => string,
  ) {}

  list(workflowId?: string): Cascade[] {
    const rows = workflowId
      ? sql(this.db, `${SELECT} WHERE c.upstream_workflow_id = ? OR c.downstream_workflow_id = ? ORDER BY c.created_at`).all(workflowId, workflowId)
      : sql(this.db, `${SELECT} ORDER BY c.created_at`).all();
    return (rows as Row[]).map(mapCascade);
  }

  downstreamOf(upstreamWorkflowId: string): Cascade[] {
    return (sql(this.db, `${SELECT} WHERE c.upstream_workflow_id = ?`).all(upstreamWorkflowId) as Row[]).map(mapCascade);
  }

  /** Adds "run downstream after upstream succeeds"; refuses a cycle, naming it. */
  add(upstreamWorkflowId: string, downstreamWorkflowId: string, params: Record<string, ParamValue> = {}): Cascade {
    const name = (id: string) => (sql(this.db, 'SELECT name FROM workflows WHERE id = ?').get(id) as Row | undefined)?.name;
    for (const id of [upstreamWorkflowId, downstreamWorkflowId]) {
      if (name(id) === undefined) throw new Error(`no workflow with id ${id}`);
    }
    if (upstreamWorkflowId === downstreamWorkflowId) throw new CascadeCycleError([String(name(upstreamWorkflowId)), String(name(upstreamWorkflowId))]);
    const tx = this.db.transaction(() => {
      const path = this.pathBetween(downstreamWorkflowId, upstreamWorkflowId);
      if (path) throw new CascadeCycleError([upstreamWorkflowId, ...path].map((id) => String(name(id))));
      const id = this.newId();
      sql(this.db, `INSERT INTO cascades (id, upstream_workflow_id, downstream_workflow_id, params, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(upstream_workflow_id, downstream_workflow_id) DO UPDATE SET params = excluded.params`)
        .run(id, upstreamWorkflowId, downstreamWorkflowId, JSON.stringify(params), this.now());
    });
    tx.immediate();
    return this.list().find((c) => c.upstreamWorkflowId === upstreamWorkflowId && c.downstreamWorkflowId === downstreamWorkflowId)!;
  }

  remove(id: string): boolean {
    return sql(this.db, 'DELETE FROM cascades WHERE id = ?').run(id).changes > 0;
  }

  fires(o: { upstreamRunId?: string; cascadeId?: string; limit?: number } = {}): CascadeFire[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (o.upstreamRunId) {
      where.push('upstream_run_id = ?');
      args.push(o.upstreamRunId);
    }
    if (o.cascadeId) {
      where.push('cascade_id = ?');
      args.push(o.cascadeId);
    }
    const rows = sql(this.db, `SELECT * FROM cascade_fires ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY decided_at DESC LIMIT ?`)
      .all(...args, o.limit ?? 100) as Row[];
    return rows.map((r) => ({
      cascadeId: String(r.cascade_id),
      upstreamRunId: String(r.upstream_run_id),
      decision: r.decision as CascadeFire['decision'],
      reason: String(r.reason),
      runId: r.run_id == null ? undefined : String(r.run_id),
      decidedAt: Number(r.decided_at),
    }));
  }

  /** A path of workflow ids from `from` to `to` along cascades (breadth first), or undefined. */
  private pathBetween(from: string, to: string): string[] | undefined {
    const edges = sql(this.db, 'SELECT upstream_workflow_id AS u, downstream_workflow_id AS d FROM cascades').all() as { u: string; d: string }[];
    const next = new Map<string, string[]>();
    for (const e of edges) next.set(e.u, [...(next.get(e.u) ?? []), e.d]);
    const prev = new Map<string, string>([[from, from]]);
    const queue = [from];
    while (queue.length) {
      const at = queue.shift()!;
      if (at === to) {
        const path = [to];
        while (path[0] !== from) path.unshift(prev.get(path[0]!)!);
        return path;
      }
      for (const n of next.get(at) ?? []) {
        if (!prev.has(n)) {
          prev.set(n, at);
          queue.push(n);
        }
      }
    }
    return undefined;
  }
}
