// Who hears about which runs, and the SMTP server to send email through. Secrets (the
// SMTP password, Slack webhook URLs) are sealed with the secret box before they reach
// SQLite and only unsealed at the moment of sending; reads give back "is set", never them.
import type { Db } from '../store/db.ts';
import type { MetadataStore } from '../store/metadata-store.ts';
import type { Row } from '../store/rows.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { SmtpConfig } from './email.ts';
import { isLoopbackHost } from '../server/host-check.ts';
import type { NotificationSettings, NotificationSettingsInput, SmtpInput, SmtpSettings } from './types.ts';

const SMTP_KEY = 'notify.smtp';
const EMAIL = /^[^\s@,]+@[^\s@,]+$/;

/** With no settings row a workflow still gets a desktop notification when it fails. */
export const DEFAULT_SETTINGS: Omit<NotificationSettings, 'workflowId'> = {
  onFailure: true,
  onWarning: false,
  onSuccess: false,
  emailTo: [],
  slackWebhookSet: false,
  desktop: true,
};

export interface StoredSettings extends NotificationSettings {
  sealedSlackWebhook?: string;
  createdAt: number;
}

interface StoredSmtp {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  from: string;
  password?: string; // sealed
  allowPlainAuth?: boolean;
}

export class NotificationSettingsStore {
  private readonly db: Db;

  constructor(
    private readonly store: MetadataStore,
    private readonly secrets: () => SecretBox,
  ) {
    this.db = store.db;
  }

  get(workflowId: string): NotificationSettings {
    const { sealedSlackWebhook: _s, createdAt: _c, ...pub } = this.stored(workflowId);
    return pub;
  }

  stored(workflowId: string): StoredSettings {
    const r = this.db.prepare('SELECT * FROM notification_settings WHERE workflow_id = ?').get(workflowId) as Row | undefined;
    if (!r) return { workflowId, ...DEFAULT_SETTINGS, createdAt: 0 };
    return {
      workflowId,
      onFailure: Number(r.on_failure) === 1,
      onWarning: Number(r.on_warning) === 1,
      onSuccess: Number(r.on_success) === 1,
      emailTo: r.email_to ? String(r.email_to).split(',').filter(Boolean) : [],
      slackWebhookSet: r.slack_webhook != null,
      sealedSlackWebhook: r.slack_webhook == null ? undefined : String(r.slack_webhook),
      desktop: Number(r.desktop) === 1,
      createdAt: Number(r.created_at),
    };
  }

  set(workflowId: string, input: NotificationSettingsInput): NotificationSettings {
    const cur = this.stored(workflowId);
    const emailTo = (input.emailTo ?? cur.emailTo).map((e) => e.trim()).filter(Boolean);
    for (const e of emailTo) {
      if (!EMAIL.test(e)) throw new Error(`notifications.emailTo: "${e}" is not an email address (example: ana@example.com)`);
    }
    let slack = cur.sealedSlackWebhook ?? null;
    if (input.slackWebhookUrl === null) slack = null;
    else if (input.slackWebhookUrl !== undefined) {
      if (!/^https?:\/\/\S+$/.test(input.slackWebhookUrl)) {
        throw new Error('notifications.slackWebhookUrl: not a URL (example: https://hooks.slack.com/services/T000/B000/XXXX)');
      }
      slack = this.secrets().seal(input.slackWebhookUrl);
    }
    const now = this.store.clock.now();
    const b = (v: boolean | undefined, d: boolean) => ((v ?? d) ? 1 : 0);
    this.db
      .prepare(
        `INSERT INTO notification_settings (workflow_id, on_failure, on_warning, on_success, email_to, slack_webhook, desktop, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(workflow_id) DO UPDATE SET on_failure = excluded.on_failure, on_warning = excluded.on_warning,
           on_success = excluded.on_success, email_to = excluded.email_to, slack_webhook = excluded.slack_webhook,
           desktop = excluded.desktop, updated_at = excluded.updated_at`,
      )
      .run(workflowId, b(input.onFailure, cur.onFailure), b(input.onWarning, cur.onWarning), b(input.onSuccess, cur.onSuccess),
        emailTo.length ? emailTo.join(',') : null, slack, b(input.desktop, cur.desktop), now, now);
    return this.get(workflowId);
  }

  slackWebhook(workflowId: string): string | undefined {
    const sealed = this.stored(workflowId).sealedSlackWebhook;
    return sealed ? this.secrets().open(sealed) : undefined;
  }

  getSmtp(): SmtpSettings | undefined {
    const s = this.storedSmtp();
    if (!s) return undefined;
    return { host: s.host, port: s.port, secure: s.secure, user: s.user, from: s.from, passwordSet: s.password !== undefined, allowPlainAuth: s.allowPlainAuth === true };
  }

  setSmtp(input: SmtpInput): SmtpSettings {
    if (!input.host?.trim()) throw new Error('smtp.host: required (example: smtp.example.com)');
    if (!EMAIL.test(input.from.replace(/^.*<(.+)>$/, '$1'))) throw new Error(`smtp.from: "${input.from}" is not an address (example: "Aqueduct <aqueduct@example.com>")`);
    const port = input.port ?? (input.secure ? 465 : 587);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`smtp.port: ${port} is not a port (example: 587)`);
    const host = input.host.trim();
    if (input.allowPlainAuth && !isLoopbackHost(host)) {
      throw new Error(`smtp.allowPlainAuth: a login without TLS is only for a server on this machine (localhost, 127.0.0.1, ::1), not ${host}: use TLS`);
    }
    const cur = this.storedSmtp();
    let password = cur?.password;
    if (input.password === null) password = undefined;
    else if (input.password !== undefined) password = this.secrets().seal(input.password);
    else if (cur?.password && (cur.host.toLowerCase() !== host.toLowerCase() || cur.port !== port)) {
      // a saved password is only ever sent to the server it was saved for
      throw new Error(`smtp.password: the server changed (from ${cur.host}:${cur.port} to ${host}:${port}): enter the password again, or remove it`);
    }
    const stored: StoredSmtp = { host, port, secure: input.secure ?? port === 465, user: input.user || undefined, from: input.from, password, allowPlainAuth: input.allowPlainAuth === true || undefined };
    this.store.setSetting(SMTP_KEY, JSON.stringify(stored));
    return this.getSmtp()!;
  }

  /** The SMTP settings with the password unsealed, for one send. */
  smtpConfig(): SmtpConfig | undefined {
    const s = this.storedSmtp();
    if (!s) return undefined;
    return { host: s.host, port: s.port, secure: s.secure, user: s.user, from: s.from, password: s.password ? this.secrets().open(s.password) : undefined, allowPlainAuth: s.allowPlainAuth === true };
  }

  private storedSmtp(): StoredSmtp | undefined {
    const raw = this.store.getSetting(SMTP_KEY);
    return raw ? (JSON.parse(raw) as StoredSmtp) : undefined;
  }
}
