// One node's change between two versions (Compare's runs, the Engines screen's deployed
// and local versions): its kind, id, what changed, the settings named and the code diff.
import { KindChip } from '../../components/status.tsx';
import { CodeDiff } from './code-diff.tsx';
import type { NodeChange } from './compare-diff.ts';

export function NodeChangeSection({ change: c }: { change: NodeChange }) {
  return (
    <section className="compare-node" aria-label={`Changes to ${c.id}`}>
      <header className="compare-node-head">
        <KindChip kind={c.kind} />
        <span className="mono compare-node-id">{c.id}</span>
        <span className={`change-tag change-${c.change}`}>{c.change}</span>
        {c.settings.length > 0 && <span className="muted">settings changed: {c.settings.join(', ')}</span>}
      </header>
      {c.diff && <CodeDiff lines={c.diff} label={`Code diff of ${c.id}`} />}
    </section>
  );
}
