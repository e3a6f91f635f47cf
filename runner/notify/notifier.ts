// Sends a finished run's notification on each channel its workflow asks for. Each
// (run, channel) is claimed by an INSERT before sending, so when several processes host
// engines, or the scheduler fails over, nobody is told twice. A crash between claim and
// send loses that one message (it stays "sending"): never spam beats never miss here.
import type { RunStatus, RunSummary } from '../api/types.ts';
import type { Db } from '../store/db.ts';
import type { MetadataStore } from '../store/metadata-store.ts';
import type { Row } from '../store/rows.ts';
import type { DesktopNotifications } from './desktop.ts';
import type { sendEmail as SendEmail } from './email.ts';
import { composeRunMessage } from './message.ts';
import { emailOf } from '../spec/validate-report.ts';
import type { NotificationSettingsStore, StoredSettings } from './settings.ts';
import { postSlack as slackPost } from './slack.ts';
import type { DeliveryRecord, NotifyChannel, RunNotification } from './types.ts';

// nodemailer loads on the first email, not with every process that runs workflows
const smtpSend: typeof SendEmail = async (...args) => (await import('./email.ts')).sendEmail(...args);

export interface NotifierOptions {
  settings: NotificationSettingsStore;
  desktop?: DesktopNotifications;
  sendEmail?: typeof smtpSend;
  postSlack?: typeof slackPost;
  log?: (line: string) => void;
}

export function wantsNotification(s: Pick<StoredSettings, 'onFailure' | 'onWarning' | 'onSuccess'>, status: RunStatus): boolean {
  if (status === 'failed' || status === 'interrupted') return s.onFailure;
  if (status === 'succeeded_with_warnings') return s.onWarning;
  if (status === 'succeeded') return s.onSuccess;
  return false;
}

export class Notifier {
  private readonly db: Db;

  constructor(
    private readonly store: MetadataStore,
    readonly opts: NotifierOptions,
  ) {
    this.db = store.db;
  }

  /** The channels a finished run should be announced on. */
  channelsFor(run: RunSummary): NotifyChannel[] {
    if (run.kind !== 'run') return [];
    const s = this.opts.settings.stored(run.workflowId);
    if (!wantsNotification(s, run.status) || (run.finishedAt ?? 0) < s.createdAt) return [];
    const out: NotifyChannel[] = [];
    if (this.recipients(run.workflowId).length) out.push('email');
    if (s.sealedSlackWebhook) out.push('slack');
    if (s.desktop) out.push('desktop');
    return out;
  }

  /**
   * Claims and sends each channel. `guard` runs inside the claim transaction (the
   * scheduler passes its lease check); a channel someone else claimed is left alone.
   * `note`: a line more for the message (e.g. whether an interrupted run was retried).
   */
  async deliver(runId: string, channels: NotifyChannel[], guard: () => void = () => {}, note?: string): Promise<DeliveryRecord[]> {
    const run = this.store.getRun(runId);
    if (!run || channels.length === 0) return [];
    const msg = composeRunMessage(run, note, this.store.getWorkflow(run.workflowId)?.owner);
    const out: DeliveryRecord[] = [];
    for (const channel of channels) {
      if (!this.claim(runId, channel, guard)) continue;
      let status: DeliveryRecord['status'] = 'sent';
      let detail: string;
      try {
        detail = await this.send(channel, run, msg);
      } catch (e) {
        status = 'failed';
        detail = (e as Error).message;
        this.opts.log?.(`notification by ${channel} for run ${runId.slice(0, 8)} failed: ${detail}`);
      }
      const ts = this.store.clock.now();
      this.db.prepare('UPDATE notifications_sent SET status = ?, detail = ?, ts = ? WHERE run_id = ? AND channel = ?').run(status, detail, ts, runId, channel);
      out.push({ runId, channel, status, detail, ts });
    }
    return out;
  }

  deliveries(runId: string): DeliveryRecord[] {
    const rows = this.db.prepare('SELECT * FROM notifications_sent WHERE run_id = ? ORDER BY channel').all(runId) as Row[];
    return rows.map((r) => ({
      runId: String(r.run_id),
      channel: r.channel as NotifyChannel,
      status: r.status as DeliveryRecord['status'],
      detail: r.detail == null ? undefined : String(r.detail),
      ts: Number(r.ts),
    }));
  }

  /** Sends a test message on every configured channel of a workflow (Settings → "Send test"). */
  async sendTest(workflowId: string): Promise<{ channel: NotifyChannel; ok: boolean; detail: string }[]> {
    const s = this.opts.settings.stored(workflowId);
    const name = this.store.getWorkflow(workflowId)?.name ?? workflowId;
    const msg: RunNotification = { runId: 'test', workflowId, workflowName: name, status: 'failed', title: `${name}: test notification`, text: `Workflow: ${name}\nThis is a test from Aqueduct.` };
    const channels: NotifyChannel[] = [...(this.recipients(workflowId).length ? ['email' as const] : []), ...(s.sealedSlackWebhook ? ['slack' as const] : []), ...(s.desktop ? ['desktop' as const] : [])];
    const results = [];
    for (const channel of channels) {
      try {
        results.push({ channel, ok: true, detail: await this.send(channel, { workflowId, emailTo: this.recipients(workflowId) }, msg) });
      } catch (e) {
        results.push({ channel, ok: false, detail: (e as Error).message });
      }
    }
    return results;
  }

  /**
   * Who is emailed about a workflow's runs: the addresses its notification settings list,
   * and, once an SMTP server is set up, its owner and watchers.
   */
  recipients(workflowId: string): string[] {
    const out = [...this.opts.settings.stored(workflowId).emailTo];
    if (this.opts.settings.getSmtp()) {
      const w = this.store.getWorkflow(workflowId);
      if (w?.owner) out.push(w.owner.email);
      for (const x of w?.watchers ?? []) out.push(emailOf(x) ?? x);
    }
    return [...new Set(out.map((x) => x.trim()).filter(Boolean))];
  }

  private claim(runId: string, channel: NotifyChannel, guard: () => void): boolean {
    const tx = this.db.transaction(() => {
      guard();
      return this.db
        .prepare("INSERT OR IGNORE INTO notifications_sent (run_id, channel, status, ts) VALUES (?, ?, 'sending', ?)")
        .run(runId, channel, this.store.clock.now()).changes === 1;
    });
    return tx.immediate();
  }

  private async send(channel: NotifyChannel, run: { workflowId: string; emailTo?: string[] }, msg: RunNotification): Promise<string> {
    const settings = this.opts.settings;
    switch (channel) {
      case 'email': {
        const smtp = settings.smtpConfig();
        if (!smtp) throw new Error('no SMTP server is set up: add one under Settings → Notifications (or aqueduct schedule smtp)');
        const to = run.emailTo ?? this.recipients(run.workflowId);
        return (this.opts.sendEmail ?? smtpSend)(smtp, to, msg);
      }
      case 'slack': {
        const url = settings.slackWebhook(run.workflowId);
        if (!url) throw new Error('no Slack webhook is set for this workflow');
        return (this.opts.postSlack ?? slackPost)(url, msg);
      }
      case 'desktop':
        if (!this.opts.desktop?.hasListeners) throw new Error('no desktop shell is listening');
        this.opts.desktop.emit(msg);
        return 'shown';
    }
  }
}
