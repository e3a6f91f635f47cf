// What the shell and its runner process say to each other besides API calls (those ride
// the ports handed over with `connect`).
export type HostMessage =
  /**
   * The key that seals stored secrets (base64), sent once right after start and before any
   * port; null: no OS keychain, use the key file. Never an environment variable, which
   * every child process (Python nodes) would inherit.
   */
  | { type: 'secret-key'; key: string | null }
  | { type: 'connect' }
  | { type: 'shutdown' }
  | { type: 'ready'; home: string }
  /** the engine could not start (e.g. native modules built for another Node ABI) */
  | { type: 'failed'; message: string };
