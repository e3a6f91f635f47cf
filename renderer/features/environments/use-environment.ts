// A workflow's Python environment for the views that show it: the status from the runner,
// kept fresh by the build's progress stream (each step, and a reload when a build ends).
import { useEffect, useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery, type QueryState } from '../../app/use-query.ts';
import type { RouterOutputs } from '../../client/index.ts';

export type EnvStatus = RouterOutputs['environments']['status'];
export type EnvProgress = NonNullable<EnvStatus['progress']>;

export interface EnvironmentState extends QueryState<EnvStatus> {
  /** the latest step of a build under way (absent when none runs) */
  progress?: EnvProgress;
  /** lines of tool output of the build under way */
  lines: string[];
}

const FINAL = new Set(['ready', 'failed', 'cancelled']);

export function useEnvironment(workflowId: string): EnvironmentState {
  const q = useQuery(() => api.environments.status.query({ workflowId }), [workflowId]);
  const [progress, setProgress] = useState<EnvProgress>();
  const [lines, setLines] = useState<string[]>([]);
  const { reload } = q;
  useEffect(() => {
    const sub = api.environments.onProgress.subscribe(
      { workflowId },
      {
        onData: (p) => {
          if (p.line) return setLines((ls) => [...ls.slice(-300), p.line!]);
          if (FINAL.has(p.phase)) {
            setProgress(undefined);
            reload();
          } else {
            setProgress((prev) => {
              if (!prev) setLines([]);
              return p;
            });
          }
        },
        onError: (err) => console.error('environment progress stream failed', err),
      },
    );
    return () => sub.unsubscribe();
  }, [workflowId, reload]);
  const building = progress ?? (q.data?.building ? q.data.progress : undefined);
  return { ...q, progress: building, lines };
}
