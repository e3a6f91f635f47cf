// Secrets (database passwords, SMTP passwords, webhook URLs) are sealed with AES-256-GCM
// before they reach the database, with a key that never lives in the database: from
// AQUEDUCT_SECRET_KEY, or a key file readable only by the user (0600). The desktop shell
// keeps that key encrypted with the OS keychain (safeStorage) and hands it to the runner
// over its port (process-secrets.ts holds it; no child process ever gets it).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir } from '../store/private-files.ts';
import { heldSecretKey } from './process-secrets.ts';

const PREFIX = 'sealed:v1:';

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('a secret key must be 32 bytes');
  }

  seal(plain: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string): string {
    if (!SecretBox.isSealed(sealed)) throw new Error('not a sealed secret');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('a stored secret cannot be decrypted with this key (was the secret key file replaced?); enter the secret again');
    }
  }

  static isSealed(s: string): boolean {
    return s.startsWith(PREFIX);
  }
}

export function secretKeyFile(home: string): string {
  return path.join(home, 'secret.key');
}

/** The key from AQUEDUCT_SECRET_KEY or the shell (base64, 32 bytes), or <home>/secret.key, made on first use. */
export function loadSecretKey(home: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const given = env.AQUEDUCT_SECRET_KEY || heldSecretKey();
  if (given) {
    const key = Buffer.from(given, 'base64');
    if (key.length !== 32) throw new Error('AQUEDUCT_SECRET_KEY must be 32 bytes, base64-encoded (e.g. openssl rand -base64 32)');
    return key;
  }
  const file = secretKeyFile(home);
  if (!fs.existsSync(file)) {
    ensurePrivateDir(home);
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return key;
}

export function loadSecretBox(home: string, env: NodeJS.ProcessEnv = process.env): SecretBox {
  return new SecretBox(loadSecretKey(home, env));
}
