// A TCP listener on loopback that speaks just enough of the PostgreSQL wire protocol to
// ask a client for a cleartext password (as a hostile server would), records what
// arrives, and refuses the login. Tests use it to see whether a saved secret was sent to
// a host the user never confirmed. A real PostgreSQL could not show this: it never asks
// for a cleartext password unless configured to, and never tells us what it received.
import net from 'node:net';

export interface PasswordTrap {
  port: number;
  /** every password a client sent, in order */
  passwords: string[];
  /** how many clients connected */
  connections: number;
  close(): Promise<void>;
}

function message(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(body.length + 4);
  return Buffer.concat([Buffer.from(type), len, body]);
}

export async function startPostgresPasswordTrap(): Promise<PasswordTrap> {
  const trap: PasswordTrap = { port: 0, passwords: [], connections: 0, close: async () => undefined };
  const server = net.createServer((socket) => {
    trap.connections++;
    let buf = Buffer.alloc(0);
    let started = false;
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (!started) {
          if (buf.length < 8) return;
          const len = buf.readInt32BE(0);
          if (buf.length < len) return;
          const code = buf.readInt32BE(4);
          buf = buf.subarray(len);
          // SSLRequest (80877103): say no, the client may go on in plain text
          if (code === 80877103) {
            socket.write('N');
            continue;
          }
          started = true;
          const cleartext = Buffer.alloc(4);
          cleartext.writeInt32BE(3);
          socket.write(message('R', cleartext));
          continue;
        }
        if (buf.length < 5) return;
        const len = buf.readInt32BE(1);
        if (buf.length < len + 1) return;
        const type = String.fromCharCode(buf[0]!);
        const body = buf.subarray(5, len + 1);
        buf = buf.subarray(len + 1);
        if (type === 'p') {
          trap.passwords.push(body.toString('utf8').replace(/\0$/, ''));
          const fields = Buffer.from('SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user\0\0');
          socket.end(message('E', fields));
          return;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  trap.port = (server.address() as net.AddressInfo).port;
  trap.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return trap;
}
