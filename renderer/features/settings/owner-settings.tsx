// Your name and email: the owner of every workflow whose workflow.yaml names none, told
// when those fail, and "Mine" on the home page.
import { useEffect, useState } from 'react';
import { api } from '../../client/index.ts';
import { Spinner } from '../../components/spinner.tsx';
import { useUi } from '../../stores/ui-store.ts';

export function OwnerSettings({ owner, onSaved }: { owner: { name: string; email: string } | null; onSaved(): void }) {
  const [name, setName] = useState(owner?.name ?? '');
  const [email, setEmail] = useState(owner?.email ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const notify = useUi((s) => s.notify);
  useEffect(() => {
    setName(owner?.name ?? '');
    setEmail(owner?.email ?? '');
  }, [owner?.name, owner?.email]);
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.settings.set.mutate({ owner: { name, email } });
      notify('info', email.trim() ? `Workflows without an owner of their own are now owned by ${name.trim() || email.trim()}.` : 'Workflows without an owner of their own now have none.');
      onSaved();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="settings-card" aria-labelledby="settings-owner">
      <h2 id="settings-owner">You</h2>
      <p className="muted">You own every workflow whose workflow.yaml names no owner: you are told when one fails, and the home page can show only yours.</p>
      <form
        className="open-folder-row"
        aria-label="Your name and email"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <input type="text" aria-label="Your name" placeholder="Ana Lima" value={name} onChange={(e) => setName(e.target.value)} />
        <input type="text" inputMode="email" aria-label="Your email" placeholder="ana@example.com" value={email} aria-invalid={error ? true : undefined} onChange={(e) => setEmail(e.target.value)} />
        <button type="submit" className="btn primary" disabled={busy}>
          {busy && <Spinner label="Saving" delay={0} />} Update
        </button>
      </form>
      {error && <p className="field-error" role="alert">{error}</p>}
    </section>
  );
}
