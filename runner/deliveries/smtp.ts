// Sending one email through a saved SMTP connection (nodemailer). The message is built
// first (so its size is known exactly and checked against the limit), then sent as is.
// nodemailer's errors are retold: a 4xx answer or a dropped connection is transient, a
// refused login or recipient is not, and neither shows a stack. A login goes only over
// TLS (from the start, or STARTTLS, which is then required), unless the connection allows
// plain text and the server is on this machine: the rule of notification email too.
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { ConnectionConfig } from '../connectors/types.ts';
import { isLoopbackHost } from '../server/host-check.ts';
import { DeliveryError, isNetworkFailure } from './transient.ts';

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** Builds the MIME message (what will be sent, byte for byte). */
export async function composeMessage(mail: Mail.Options): Promise<Buffer> {
  const build = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = (await build.sendMail(mail)) as { message: Buffer };
  return info.message;
}

export function transportFor(cfg: ConnectionConfig) {
  const host = String(cfg.host ?? 'localhost');
  const secure = cfg['secure'] === true;
  // allowPlainAuth counts for a server on this machine only; elsewhere TLS is required anyway
  const plainAllowed = cfg['allowPlainAuth'] === true && isLoopbackHost(host);
  return nodemailer.createTransport({
    host,
    port: Number(cfg.port ?? 587),
    secure,
    auth: cfg.user ? { user: String(cfg.user), pass: String(cfg.password ?? '') } : undefined,
    requireTLS: !secure && !!cfg.user && !plainAllowed,
    tls: { rejectUnauthorized: cfg['rejectUnauthorized'] !== false },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
}

/** Sends a composed message; resolves with the server's answer, in words. */
export async function sendRaw(cfg: ConnectionConfig, envelope: { from: string; to: string[] }, raw: Buffer): Promise<string> {
  const transport = transportFor(cfg);
  const where = `${String(cfg.host)}:${String(cfg.port ?? 587)}`;
  try {
    const info = await transport.sendMail({ envelope, raw });
    return `accepted by ${where} for ${info.accepted.map(String).join(', ')}`;
  } catch (e) {
    throw smtpError(e, where);
  } finally {
    transport.close();
  }
}

export function smtpError(e: unknown, where: string): DeliveryError {
  const err = e as SmtpFailure;
  const said = (err.response ?? err.message ?? '').split('\n')[0]!.trim();
  // nodemailer: STARTTLS was required (a login is to be sent) and the server could not do it
  if (err.code === 'ETLS' && /STARTTLS/.test(err.message ?? '')) {
    return new DeliveryError(
      `the mail server ${where} offers no TLS, so the login was not sent`,
      'use the server\'s TLS port (465, "TLS from the start") or one that offers STARTTLS; a login without TLS may be allowed for a server on this machine only',
    );
  }
  if (err.responseCode && err.responseCode >= 400 && err.responseCode < 500) {
    return new DeliveryError(`the mail server ${where} said to try later (${said})`, undefined, true);
  }
  if (err.code === 'EAUTH') return new DeliveryError(`the mail server ${where} refused the login (${said})`, 'check the user and password of the SMTP connection');
  if (err.code === 'EENVELOPE') return new DeliveryError(`the mail server ${where} refused the recipients (${said})`, 'check the addresses under to: and cc:');
  if (err.responseCode === 552 || /size|too (big|large)/i.test(said)) {
    return new DeliveryError(`the mail server ${where} refused the message as too large (${said})`, 'attach less (attach:), or lower max_size_mb to what the server accepts');
  }
  if (err.code === 'ECONNECTION' || err.code === 'ESOCKET' || err.code === 'ETIMEDOUT' || isNetworkFailure(e)) {
    return new DeliveryError(`could not talk to the mail server ${where} (${said || err.code})`, 'check the host and port of the SMTP connection', true);
  }
  if (err.code === 'EDNS') return new DeliveryError(`the mail server ${where} was not found (${said})`, 'check the host of the SMTP connection');
  if (err.code === 'ETLS') return new DeliveryError(`could not set up TLS with ${where} (${said})`, 'check the port and the "TLS from the start" setting of the SMTP connection');
  if (err.responseCode) return new DeliveryError(`the mail server ${where} refused the message (${said})`, undefined);
  return new DeliveryError(`sending through ${where} failed: ${said}`, undefined);
}
