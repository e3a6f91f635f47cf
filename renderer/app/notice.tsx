// The one-line message at the bottom: failures of actions and short confirmations.
// Errors stay until dismissed; other notes fade after a few seconds.
import { useEffect } from 'react';
import { CloseIcon } from '../components/icons.tsx';
import { useUi } from '../stores/ui-store.ts';

export function Notice() {
  const notice = useUi((s) => s.notice);
  const dismiss = useUi((s) => s.dismissNotice);
  useEffect(() => {
    if (!notice || notice.tone === 'error') return;
    const t = setTimeout(dismiss, 4000);
    return () => clearTimeout(t);
  }, [notice, dismiss]);
  if (!notice) return null;
  return (
    <div className="notice" data-tone={notice.tone} role={notice.tone === 'error' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      <button className="btn ghost small" aria-label="Dismiss message" onClick={dismiss}>
        <CloseIcon />
      </button>
    </div>
  );
}
