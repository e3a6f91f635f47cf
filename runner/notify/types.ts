// Notification records as the API and UI see them. Types only; secrets never appear
// here in plain text (a Slack webhook URL is a secret: whoever has it can post).
import type { RunStatus } from '../api/types.ts';

export type NotifyChannel = 'email' | 'slack' | 'desktop';

export interface NotificationSettings {
  workflowId: string;
  onFailure: boolean;
  onWarning: boolean;
  onSuccess: boolean;
  emailTo: string[];
  slackWebhookSet: boolean;
  desktop: boolean;
}

export interface NotificationSettingsInput {
  onFailure?: boolean;
  onWarning?: boolean;
  onSuccess?: boolean;
  emailTo?: string[];
  /** a Slack incoming-webhook URL; null removes it */
  slackWebhookUrl?: string | null;
  desktop?: boolean;
}

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it */
  secure: boolean;
  user?: string;
  from: string;
  passwordSet: boolean;
  /** the login may go without TLS: only ever true for a server on this machine */
  allowPlainAuth: boolean;
}

export interface SmtpInput {
  host: string;
  port?: number;
  secure?: boolean;
  user?: string;
  /** stored sealed; undefined keeps the stored one (while host and port stay), null removes it */
  password?: string | null;
  from: string;
  /** send the login without TLS; refused unless the host is loopback (a local relay) */
  allowPlainAuth?: boolean;
}

/** One message about one finished run, rendered for every channel. */
export interface RunNotification {
  runId: string;
  workflowId: string;
  workflowName: string;
  status: RunStatus;
  title: string;
  text: string;
  failingNode?: string;
  error?: string;
}

export interface DeliveryRecord {
  runId: string;
  channel: NotifyChannel;
  status: 'sending' | 'sent' | 'failed';
  detail?: string;
  ts: number;
}
