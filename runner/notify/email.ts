// Email over SMTP with nodemailer. The password arrives already unsealed from the
// settings store and is used only for this one send.
import nodemailer from 'nodemailer';
import type { RunNotification } from './types.ts';

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

export async function sendEmail(smtp: SmtpConfig, to: string[], msg: RunNotification): Promise<string> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  try {
    const info = await transport.sendMail({ from: smtp.from, to: to.join(', '), subject: `[Aqueduct] ${msg.title}`, text: msg.text });
    return `accepted by ${smtp.host} for ${info.accepted.map(String).join(', ')}`;
  } finally {
    transport.close();
  }
}
