// Email over SMTP with nodemailer. The password arrives already unsealed from the
// settings store and is used only for this one send, and only over TLS (from the start,
// or STARTTLS, which is then required) unless the user allowed plain text to a server on
// this machine.
import nodemailer from 'nodemailer';
import type { RunNotification } from './types.ts';

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  allowPlainAuth?: boolean;
}

export async function sendEmail(smtp: SmtpConfig, to: string[], msg: RunNotification): Promise<string> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    requireTLS: !smtp.secure && !!smtp.user && !smtp.allowPlainAuth,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  try {
    const info = await transport.sendMail({ from: smtp.from, to: to.join(', '), subject: `[Aqueduct] ${msg.title}`, text: msg.text });
    return `accepted by ${smtp.host} for ${info.accepted.map(String).join(', ')}`;
  } catch (e) {
    // nodemailer: the server offered no STARTTLS, and a login may not go in plain text
    if ((e as { code?: string }).code === 'ETLS' || /STARTTLS/i.test((e as Error).message)) {
      throw new Error(`${smtp.host}:${smtp.port} offers no TLS, so the login was not sent: use the server's TLS port (465, "TLS from the start") or a server that offers STARTTLS`);
    }
    throw e;
  } finally {
    transport.close();
  }
}
