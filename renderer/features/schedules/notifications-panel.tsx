// Who hears about this workflow's runs, and when: on failure, warning or success, by
// desktop notification, email or Slack. Secrets are write-only: the field for the Slack
// webhook is always empty and only says whether one is set; typing replaces it.
import { useState } from 'react';
import { api, type RouterOutputs } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { ErrorNote } from '../../components/empty-state.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { useUi } from '../../stores/ui-store.ts';
import { fieldError } from './schedule-format.ts';
import { SmtpForm } from './smtp-form.tsx';

type Notifications = RouterOutputs['schedules']['notifications']['get'];
type TestResult = RouterOutputs['schedules']['notifications']['test'];

export function NotificationsPanel({ workflowId }: { workflowId: string }) {
  const q = useQuery<Notifications>(() => api.schedules.notifications.get.query({ workflowId }), [workflowId]);
  return (
    <section className="card" aria-labelledby="notify-title">
      <header className="card-head">
        <div>
          <h2 id="notify-title">Notifications</h2>
          <p className="muted">For every run of this workflow, scheduled or not.</p>
        </div>
      </header>
      {q.error && <ErrorNote title="Could not load the notification settings." message={q.error} />}
      {q.data && <NotificationsForm key={JSON.stringify(q.data.settings)} workflowId={workflowId} data={q.data} onSaved={q.reload} />}
      {q.data && <SmtpForm key={JSON.stringify(q.data.smtp)} smtp={q.data.smtp} onSaved={q.reload} />}
    </section>
  );
}

function NotificationsForm({ workflowId, data, onSaved }: { workflowId: string; data: Notifications; onSaved(): void }) {
  const notify = useUi((s) => s.notify);
  const s = data.settings;
  const [on, setOn] = useState({ onFailure: s.onFailure, onWarning: s.onWarning, onSuccess: s.onSuccess, desktop: s.desktop });
  const [emails, setEmails] = useState(s.emailTo.join(', '));
  const [webhook, setWebhook] = useState('');
  const [error, setError] = useState<{ message: string; field?: string }>();
  const [busy, setBusy] = useState<string>();
  const [results, setResults] = useState<TestResult>();

  const save = async (slackWebhookUrl?: string | null) => {
    setBusy('save');
    setError(undefined);
    try {
      const emailTo = emails.split(/[,\s]+/).filter(Boolean);
      await api.schedules.notifications.set.mutate({ workflowId, ...on, emailTo, slackWebhookUrl: slackWebhookUrl ?? (webhook.trim() || undefined) });
      notify('info', 'Notification settings saved.');
      onSaved();
    } catch (e) {
      setError(fieldError(e));
    } finally {
      setBusy(undefined);
    }
  };
  const test = async () => {
    setBusy('test');
    try {
      setResults(await api.schedules.notifications.test.mutate({ workflowId }));
    } catch (e) {
      notify('error', fieldError(e).message);
    } finally {
      setBusy(undefined);
    }
  };
  const check = (key: keyof typeof on, label: string) => (
    <label className="check-label">
      <input type="checkbox" checked={on[key]} onChange={(e) => setOn({ ...on, [key]: e.target.checked })} /> {label}
    </label>
  );
  const errorFor = (field: string) => (error && (error.field === field || (!error.field && field === 'any')) ? error.message : undefined);

  return (
    <form
      className="notify-form"
      aria-label="Notification settings"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <fieldset className="check-group">
        <legend>Tell me when a run</legend>
        {check('onFailure', 'fails')}
        {check('onWarning', 'has warnings')}
        {check('onSuccess', 'succeeds')}
      </fieldset>
      <fieldset className="check-group">
        <legend>By</legend>
        {check('desktop', 'Desktop notification (the desktop app)')}
      </fieldset>
      <div className="field">
        <label htmlFor="notify-email">Email to</label>
        <input id="notify-email" type="text" value={emails} placeholder="ana@example.com, ben@example.com" onChange={(e) => setEmails(e.target.value)}
          aria-invalid={errorFor('emailTo') ? true : undefined} aria-describedby="notify-email-help" />
        <p className={errorFor('emailTo') ? 'field-error' : 'field-help'} id="notify-email-help" role={errorFor('emailTo') ? 'alert' : undefined}>
          {errorFor('emailTo') ?? 'Comma-separated; needs the email server below.'}
        </p>
      </div>
      <div className="field">
        <label htmlFor="notify-slack">Slack incoming webhook</label>
        <div className="inline-form">
          <input id="notify-slack" type="password" autoComplete="off" value={webhook} onChange={(e) => setWebhook(e.target.value)} className="grow"
            placeholder={s.hasWebhook ? 'Set (hidden). Type a new URL to replace it' : 'https://hooks.slack.com/services/…'}
            aria-invalid={errorFor('slackWebhookUrl') ? true : undefined} aria-describedby="notify-slack-help" />
          {s.hasWebhook && <button type="button" className="btn ghost" disabled={!!busy} onClick={() => void save(null)}>Remove webhook</button>}
        </div>
        <p className={errorFor('slackWebhookUrl') ? 'field-error' : 'field-help'} id="notify-slack-help" role={errorFor('slackWebhookUrl') ? 'alert' : undefined}>
          {errorFor('slackWebhookUrl') ?? (s.hasWebhook ? 'A webhook is set. It is stored encrypted and never shown again.' : 'Stored encrypted; never shown again once saved.')}
        </p>
      </div>
      {errorFor('any') && <p className="field-error" role="alert">{errorFor('any')}</p>}
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={!!busy}>{busy === 'save' && <Spinner delay={0} label="Saving" />} Save notifications</button>
        <button type="button" className="btn" disabled={!!busy} onClick={() => void test()}>{busy === 'test' && <Spinner delay={0} label="Sending" />} Send test</button>
      </div>
      {results && (
        <ul className="test-results" aria-label="Test results" role="status">
          {results.length === 0 && <li className="muted">No channel is set up to send a test through: add an email address or a Slack webhook, or turn on desktop notifications, then save.</li>}
          {results.map((r) => (
            <li key={r.channel}>
              <span className="badge" data-tone={r.ok ? 'ok' : 'fail'}>{r.channel}</span> <span className={r.ok ? '' : 'fail-text'}>{r.ok ? `sent (${r.detail})` : r.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
