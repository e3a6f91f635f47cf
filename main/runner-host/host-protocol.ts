// What the shell and its runner process say to each other besides API calls (those ride
// the ports handed over with `connect`).
export type HostMessage =
  | { type: 'connect' }
  | { type: 'shutdown' }
  | { type: 'ready'; home: string }
  /** the engine could not start (e.g. native modules built for another Node ABI) */
  | { type: 'failed'; message: string };
