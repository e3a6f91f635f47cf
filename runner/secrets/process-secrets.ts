// The two values that unlock everything, the key that seals stored secrets and the API
// token, may arrive in this process's environment (headless: AQUEDUCT_SECRET_KEY,
// AQUEDUCT_TOKEN) or over the desktop shell's port. Either way they are held here in
// memory and taken out of process.env at once, and every child process (Python workers,
// interpreter checks, kubectl, …) gets its environment from childEnv(), which never
// carries them: workflow code cannot print or use them.
export const SECRET_ENV_NAMES = ['AQUEDUCT_SECRET_KEY', 'AQUEDUCT_TOKEN'] as const;

const held: { secretKey?: string; token?: string } = {};

/** Moves the secrets out of process.env into memory (idempotent; call first thing in every entry point). */
export function takeProcessSecrets(env: NodeJS.ProcessEnv = process.env): void {
  if (env.AQUEDUCT_SECRET_KEY) held.secretKey = env.AQUEDUCT_SECRET_KEY;
  if (env.AQUEDUCT_TOKEN !== undefined) held.token = env.AQUEDUCT_TOKEN;
  for (const name of SECRET_ENV_NAMES) delete env[name];
}

/** The desktop shell hands the key over its port (base64, 32 bytes). */
export function holdSecretKey(base64: string): void {
  held.secretKey = base64;
}

/** The secret key given by environment or by the shell, base64; undefined means "use the key file". */
export function heldSecretKey(): string | undefined {
  return held.secretKey;
}

/** The token given as AQUEDUCT_TOKEN, if any. */
export function heldToken(): string | undefined {
  return held.token;
}

/** The environment for a child process: ours without the secrets, plus `extra`. */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of SECRET_ENV_NAMES) delete env[name];
  return env;
}
