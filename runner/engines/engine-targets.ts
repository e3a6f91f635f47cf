// Where a workflow goes: an engine connection (saved, secrets sealed) or, for Ray, a bare
// dashboard address, resolved once into the settings the engine's client needs. The CLI's
// `--ray <address|connection>` and the API's `{ connection } | { address }` both end here,
// and so does the one sentence that says where an engine connection points.
import type { EngineConnectionInfo, EngineConnectionService, EngineType } from './engine-connections.ts';
import { EngineConnectionError } from './engine-connections.ts';

export interface RayTarget {
  type: 'ray';
  /** the saved connection's name, when the target is one */
  connection?: string;
  address: string;
  token?: string;
  /** storage the cluster writes run records to, when it is shared with this machine */
  resultsDir?: string;
}

export interface AirflowTarget {
  type: 'airflow';
  connection: string;
  url: string;
  username?: string;
  password?: string;
  dagsFolder?: string;
  sharedDir?: string;
}

export interface KubernetesTarget {
  type: 'kubernetes';
  connection: string;
  context?: string;
  namespace?: string;
  kubeconfig?: string;
  image?: string;
  resultsClaim?: string;
}

export type EngineTarget = RayTarget | AirflowTarget | KubernetesTarget;

/** What `--ray` takes as an address rather than a connection name: a URL, or host:port. */
export const looksLikeAddress = (s: string): boolean => /^https?:\/\/|:\d+$/.test(s.trim());

/** The one line that says where an engine connection points (lists, the Engines screen). */
export function whereOf(c: Pick<EngineConnectionInfo, 'type' | 'config'>): string {
  const k = c.config;
  switch (c.type) {
    case 'airflow': return k['url'] ?? '';
    case 'ray': return k['address'] ?? '';
    case 'kubernetes': return [k['context'] && `context ${k['context']}`, k['namespace'] && `namespace ${k['namespace']}`].filter(Boolean).join(', ') || 'the kubeconfig\'s current context';
  }
}

export function resolveTarget(connections: EngineConnectionService, name: string, want?: EngineType): EngineTarget {
  const s = connections.resolve(name);
  if (want && s.type !== want) throw new EngineConnectionError(`"${name}" is a ${s.type} connection, not ${want}`, `choose a ${want} connection`);
  switch (s.type) {
    case 'ray':
      return { type: 'ray', connection: name, address: s['address']!, token: s['token'], resultsDir: s['resultsDir'] };
    case 'airflow':
      return { type: 'airflow', connection: name, url: s['url']!, username: s['username'], password: s['password'], dagsFolder: s['dagsFolder'], sharedDir: s['sharedDir'] };
    case 'kubernetes':
      return { type: 'kubernetes', connection: name, context: s['context'], namespace: s['namespace'], kubeconfig: s['kubeconfig'], image: s['image'], resultsClaim: s['resultsClaim'] };
  }
}

/** A Ray cluster given as an address or as a saved connection's name (the CLI's `--ray`). */
export function rayTarget(connections: EngineConnectionService, spec: { connection?: string; address?: string } | string): RayTarget {
  const given = typeof spec === 'string' ? (looksLikeAddress(spec) ? { address: spec } : { connection: spec }) : spec;
  if (given.address?.trim()) return { type: 'ray', address: given.address.trim() };
  if (!given.connection) throw new EngineConnectionError('say which Ray cluster: a saved connection or an address', 'choose a ray connection, or give the dashboard address (http://host:8265)');
  return resolveTarget(connections, given.connection, 'ray') as RayTarget;
}
