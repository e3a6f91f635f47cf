// Ordered, append-only list of schema migrations. Never edit a shipped one: add the next.
import { core } from './001-core.ts';
import { scheduler } from './002-scheduler.ts';
import { connections } from './003-connections.ts';
import { engines } from './004-engines.ts';
import { interruptedRetries } from './005-interrupted-retries.ts';
import { publishStaging } from './006-publish-staging.ts';
import { environments } from './007-environments.ts';
import { monitoring } from './008-monitoring.ts';
import { reportsEndpoints } from './009-reports-endpoints.ts';
import { deployments } from './010-deployments.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'core', sql: core },
  { version: 2, name: 'scheduler', sql: scheduler },
  { version: 3, name: 'connections', sql: connections },
  { version: 4, name: 'engines', sql: engines },
  { version: 5, name: 'interrupted-retries', sql: interruptedRetries },
  { version: 6, name: 'publish staging', sql: publishStaging },
  { version: 7, name: 'environments', sql: environments },
  { version: 8, name: 'monitoring', sql: monitoring },
  { version: 9, name: 'reports-endpoints', sql: reportsEndpoints },
  { version: 10, name: 'deployments', sql: deployments },
];
