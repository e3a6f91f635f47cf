// Status shown the same way everywhere: a coloured pill with the word, never colour alone.
import type { NodeStatus, RunStatus } from '../stores/api-types.ts';
import { statusLabel, statusTone } from './format.ts';

export function StatusBadge({ status }: { status: RunStatus | NodeStatus | 'idle' }) {
  return (
    <span className="badge" data-tone={statusTone(status)} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}

export function KindChip({ kind }: { kind: string }) {
  return (
    <span className="kind-chip" style={{ ['--kind-color' as string]: `var(--kind-${kind})` }}>
      {kind}
    </span>
  );
}
