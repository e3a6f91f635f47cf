// "Test connection" for the connections that reach people: an SMTP server (connect, TLS,
// login: nodemailer's verify, nothing is sent) and a Slack bot token (auth.test).
// nodemailer is loaded only for a test of a mail server (the CLI's start-up stays light).
import type { ConnectionConfig } from '../connectors/types.ts';
import { SlackClient } from '../deliveries/slack-api.ts';
import { DeliveryError } from '../deliveries/transient.ts';
import { answer, type Answer } from './probe.ts';

export async function probeSmtp(cfg: ConnectionConfig): Promise<Answer> {
  const where = `${String(cfg.host)}:${String(cfg.port ?? 587)}`;
  const { smtpError, transportFor } = await import('../deliveries/smtp.ts');
  const transport = transportFor(cfg);
  try {
    await transport.verify();
    return answer(true, `connected to the mail server ${where}${cfg.user ? ` and logged in as ${String(cfg.user)}` : ''}; mail is sent from ${String(cfg['from'])}`);
  } catch (e) {
    const err = smtpError(e, where);
    const problem = /login/.test(err.message) ? 'auth' : err.transient || /not found/.test(err.message) ? 'unreachable' : 'error';
    return answer(false, err.message, problem, err.fix);
  } finally {
    transport.close();
  }
}

export async function probeSlack(cfg: ConnectionConfig): Promise<Answer> {
  try {
    const me = await new SlackClient(cfg).call<{ team?: string; user?: string }>('auth.test', {});
    return answer(true, `the token works: bot ${me.user ?? '?'} in workspace ${me.team ?? '?'}`);
  } catch (e) {
    if (!(e instanceof DeliveryError)) throw e;
    return answer(false, e.message, /auth|token|authed/.test(e.message) ? 'auth' : e.transient ? 'unreachable' : 'error', e.fix);
  }
}
