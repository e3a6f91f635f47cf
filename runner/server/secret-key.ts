// The key that seals stored secrets in headless mode: AQUEDUCT_SECRET_KEY (base64, 32
// bytes) or <home>/secret.key made with mode 0600 on first use. The desktop instead keeps
// the key encrypted with the OS keychain (safeStorage) and passes it to the runner
// process as AQUEDUCT_SECRET_KEY, so both modes end in the same loader.
import { loadSecretKey } from '../secrets/secret-box.ts';

export function headlessSecretKey(home: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  return loadSecretKey(home, env);
}
