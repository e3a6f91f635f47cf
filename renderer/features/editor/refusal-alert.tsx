// Says why a connection was not made (a cycle, an input that gives no table, a second
// input to a publish), over the canvas where the user just tried it. Fades after a while.
import { useEffect } from 'react';
import { CloseIcon } from '../../components/icons.tsx';
import { useGraph } from '../../stores/graph-store.ts';

export function RefusalAlert() {
  const refusal = useGraph((s) => s.refusal);
  const dismiss = useGraph((s) => s.dismissRefusal);
  useEffect(() => {
    if (!refusal) return;
    const t = setTimeout(dismiss, 10_000);
    return () => clearTimeout(t);
  }, [refusal, dismiss]);
  if (!refusal) return null;
  return (
    <div className="refusal alert" role="alert" aria-label="Connection refused">
      <span>{refusal}</span>
      <button className="btn ghost small icon-btn" aria-label="Dismiss" onClick={dismiss}>
        <CloseIcon />
      </button>
    </div>
  );
}
