// Why: BigQuery and Google Sheets connections authenticate the same way: a service-account
// key (signed locally into a self-signed JWT with the API's scope, so no token exchange
// with a Google endpoint is needed) or a ready OAuth access token.
import type { OAuth2Client } from 'google-auth-library';
import { PublishError, type ConnectionConfig } from './types.ts';

export interface ServiceAccount {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  project_id?: string;
}

export function serviceAccountOf(cfg: ConnectionConfig): ServiceAccount | undefined {
  const raw = cfg['credentials'];
  if (raw === undefined || raw === null || raw === '') return undefined;
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new PublishError(`the ${cfg.type} connection's service-account key is not valid JSON`, 'paste the whole JSON key file of the service account');
    }
  }
  const sa = parsed as Partial<ServiceAccount>;
  if (typeof sa.client_email !== 'string' || typeof sa.private_key !== 'string') {
    throw new PublishError(`the ${cfg.type} connection's service-account key has no client_email or private_key`, 'use a JSON key of type service_account (IAM → Service accounts → Keys)');
  }
  return sa as ServiceAccount;
}

export async function googleAuth(cfg: ConnectionConfig, scope: string): Promise<OAuth2Client> {
  const { JWT, OAuth2Client } = await import('google-auth-library');
  const sa = serviceAccountOf(cfg);
  if (sa) {
    const jwt = new JWT({ email: sa.client_email, key: sa.private_key, keyId: sa.private_key_id, scopes: [scope] });
    jwt.useJWTAccessWithScope = true;
    return jwt;
  }
  const token = cfg['accessToken'];
  if (typeof token === 'string' && token) {
    const client = new OAuth2Client();
    client.setCredentials({ access_token: token });
    return client;
  }
  throw new PublishError(`the ${cfg.type} connection has no credentials`, 'add a service-account JSON key (or an access token) to the connection');
}

/** The HTTP status of a Google API error (gaxios or @google-cloud/common), if any. */
export function googleStatus(e: unknown): number | undefined {
  const err = e as { code?: unknown; status?: unknown; response?: { status?: number } };
  if (typeof err.code === 'number') return err.code;
  if (typeof err.status === 'number') return err.status;
  return err.response?.status;
}
