// The key that seals stored secrets, kept encrypted by the OS keychain (safeStorage:
// Keychain, DPAPI, libsecret/kwallet) in the app's user-data folder. It reaches the
// runner process over its parent port (never an environment variable, which Python
// nodes would inherit). Without a keychain (some Linux desktops, where safeStorage would
// only pretend with its `basic_text` backend) the runner falls back to its own 0600 key
// file in the private app folder, as in headless mode (see keyStorageDecision).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { app, safeStorage } from 'electron';
import { keyStorageDecision } from './security-policy.ts';

/** The key (base64) for the runner, or null: the runner then uses its key file (or AQUEDUCT_SECRET_KEY). */
export function desktopSecretKey(): string | null {
  if (process.env.AQUEDUCT_SECRET_KEY) return process.env.AQUEDUCT_SECRET_KEY;
  const file = path.join(app.getPath('userData'), 'secret-key.enc');
  const decision = keyStorageDecision({
    platform: process.platform,
    backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined,
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    hasEncryptedKey: fs.existsSync(file),
  });
  if (decision.warning) console.warn(`Aqueduct: ${decision.warning}`);
  if (decision.use === 'key-file') return null;
  if (fs.existsSync(file)) {
    try {
      return safeStorage.decryptString(fs.readFileSync(file));
    } catch (e) {
      // never replace a key we cannot read: secrets sealed with it would be lost for good
      throw new Error(`the secret key in ${file} cannot be decrypted by the OS keychain: ${(e as Error).message}`);
    }
  }
  const key = crypto.randomBytes(32).toString('base64');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, safeStorage.encryptString(key), { mode: 0o600, flag: 'wx' });
  return key;
}
