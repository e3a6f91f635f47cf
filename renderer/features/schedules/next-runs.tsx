// The live preview under the cron field: the next five times the expression fires, asked
// of the runner as the user types (debounced), in the chosen zone and in local time. An
// invalid expression shows the runner's own message, which names the field at fault.
import { useEffect, useRef, useState } from 'react';
import { api } from '../../client/index.ts';
import { Spinner } from '../../components/spinner.tsx';
import { fieldError, formatInZone, formatLocal, formatRelative, hasSeconds, LOCAL_ZONE } from './schedule-format.ts';

export interface Preview {
  /** the expression as it will be stored (a preset becomes its cron) */
  cron?: string;
  times?: number[];
  error?: { message: string; field?: string };
  loading: boolean;
}

export function usePreview(cron: string, timezone: string): Preview {
  const [state, setState] = useState<Preview>({ loading: cron.trim() !== '' });
  const lastAsked = useRef<string | null>(null);
  const [nonce, setNonce] = useState(0);
  // once the first time has passed, ask again, so the list never shows a time gone by
  const soonest = state.times?.[0];
  useEffect(() => {
    if (soonest === undefined) return;
    const t = setTimeout(() => setNonce((n) => n + 1), Math.min(Math.max(1000, soonest - Date.now() + 500), 3600_000));
    return () => clearTimeout(t);
  }, [soonest]);
  useEffect(() => {
    // the saved schedule's preview (and a refresh) at once; while typing, once the typing pauses
    const asked = `${cron}|${timezone}`;
    const wait = lastAsked.current === null || lastAsked.current === asked ? 0 : 250;
    lastAsked.current = asked;
    if (!cron.trim()) {
      setState({ loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const t = setTimeout(() => {
      api.schedules.nextRuns.query({ cron, timezone }).then(
        (r) => live && setState({ cron: r.cron, times: r.times, loading: false }),
        (e: unknown) => live && setState({ error: fieldError(e), loading: false }),
      );
    }, wait);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [cron, timezone, nonce]);
  return state;
}

export function NextRuns({ preview, timezone }: { preview: Preview; timezone: string }) {
  const local = timezone !== LOCAL_ZONE;
  const secs = hasSeconds(preview.cron);
  return (
    <div className="next-runs" aria-live="polite">
      <div className="next-runs-head">
        <h3 id="next-runs-title">Next five runs</h3>
        {preview.loading && <Spinner label="Working out the next runs" />}
      </div>
      {!preview.times && !preview.error && (
        <p className="muted">{preview.loading ? 'Working them out…' : 'Choose a preset or type a cron expression to see when it runs.'}</p>
      )}
      {preview.error && <p className="muted">Fix the expression to see when it runs.</p>}
      {preview.times && preview.times.length === 0 && <p className="muted">This expression never fires again.</p>}
      {preview.times && preview.times.length > 0 && (
        <ol className="next-runs-list" aria-labelledby="next-runs-title">
          {preview.times.map((t) => (
            <li key={t}>
              <time dateTime={new Date(t).toISOString()}>{formatInZone(t, timezone, secs)}</time>
              <span className="muted">{local ? ` · ${formatLocal(t, timezone, secs)} your time` : ''} · {formatRelative(t)}</span>
            </li>
          ))}
        </ol>
      )}
      {preview.cron && <p className="muted next-runs-cron">Stored as <code>{preview.cron}</code> in {timezone}</p>}
    </div>
  );
}
