// Which stored version the graph should show instead of today's workflow: the version of a
// run the user pinned from the history, when its nodes or code differ from the current ones.
// One query per version hash (a version never changes, so it is fetched once per pin).
import { useMemo } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import type { LiveRun } from '../../stores/run-state.ts';
import type { WorkflowDetail } from '../../stores/api-types.ts';
import { useUi } from '../../stores/ui-store.ts';
import { asStoredVersion, differsFromCurrent, type StoredVersion } from './version-model.ts';

export interface PastVersion {
  hash: string;
  version: StoredVersion;
}

export function usePastVersion(run: LiveRun | undefined, detail: WorkflowDetail): PastVersion | undefined {
  const pinned = useUi((s) => s.pinnedRunId);
  const hash = pinned && run?.summary.id === pinned ? run.summary.versionHash : undefined;
  const q = useQuery(() => (hash ? api.runs.version.query({ hash }) : Promise.resolve(undefined)), [hash]);
  return useMemo(() => {
    if (!hash || q.data?.hash !== hash) return undefined;
    const version = asStoredVersion(q.data.definition);
    return version && differsFromCurrent(version, detail) ? { hash, version } : undefined;
  }, [hash, q.data, detail]);
}
