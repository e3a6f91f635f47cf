// A real SMTP server on 127.0.0.1 (the smtp-server package) that keeps what it receives,
// with a login (so the sealed password of the connection is used) and hooks a test can
// set: answer the next messages with a 4xx, or act when a message has arrived but before
// the server accepts it (to kill the sender between sending and recording).
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface MailServer {
  port: number;
  mails: ReceivedMail[];
  /** the next `n` messages are answered "451 try again later" */
  deferNext(n: number): void;
  /** runs when a message has fully arrived, before the server answers (then accepts it) */
  onArrival?: (mail: ReceivedMail) => void | Promise<void>;
  parse(i: number): Promise<ParsedMail>;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export const MAIL_USER = 'reports';
export const MAIL_PASSWORD = 'mail s3cret';

export async function startMailServer(): Promise<MailServer> {
  let defer = 0;
  const mails: ReceivedMail[] = [];
  const api: MailServer = {
    port: 0,
    mails,
    deferNext: (n) => (defer = n),
    parse: (i) => simpleParser(mails[i]!.raw, { keepCidLinks: true }),
    async waitFor(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mail(s), got ${mails.length}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return mails;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    size: 50 * 1024 * 1024,
    onAuth(auth, _session, cb) {
      if (auth.username === MAIL_USER && auth.password === MAIL_PASSWORD) cb(null, { user: MAIL_USER });
      else cb(new Error('invalid login'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (defer > 0) {
          defer--;
          const err = Object.assign(new Error('try again later'), { responseCode: 451 });
          return cb(err);
        }
        const mail = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) };
        void Promise.resolve(api.onArrival?.(mail)).then(() => {
          mails.push(mail);
          cb();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.port = (server.server.address() as AddressInfo).port;
  return api;
}
