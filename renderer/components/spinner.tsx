// A spinner that appears only when a wait gets noticeable (after `delay` ms), so quick
// answers never flash one, and anything slower than half a second always shows one.
import { useEffect, useState } from 'react';

function useShownAfter(delay: number): boolean {
  const [visible, setVisible] = useState(delay === 0);
  useEffect(() => {
    if (delay === 0) return;
    const t = setTimeout(() => setVisible(true), delay);
    return () => clearTimeout(t);
  }, [delay]);
  return visible;
}

export function Spinner({ label = 'Loading', delay = 250, large }: { label?: string; delay?: number; large?: boolean }) {
  const visible = useShownAfter(delay);
  if (!visible) return null;
  return <span className={large ? 'spinner large' : 'spinner'} role="status" aria-label={label} />;
}

export function LoadingBlock({ label, delay = 250 }: { label: string; delay?: number }) {
  const visible = useShownAfter(delay);
  if (!visible) return null;
  return (
    <div className="loading-block">
      <span className="spinner large" role="status" aria-label={label} />
      <span>{label}…</span>
    </div>
  );
}
