// Deliveries are retried when the failure is the kind that passes: an SMTP server's 4xx
// ("try again later"), a dropped or refused connection, a timeout, Slack's rate limit or
// a 5xx. Anything else (a wrong password, an unknown recipient, a missing channel) fails
// at once: trying again would only say the same.
export class DeliveryError extends Error {
  constructor(message: string, readonly fix?: string, readonly transient = false, readonly retryAfterMs?: number) {
    super(message);
    this.name = 'DeliveryError';
  }
}

const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether a network error (possibly wrapped, as fetch and nodemailer do) is worth retrying. */
export function isNetworkFailure(e: unknown): boolean {
  for (let cur = e as { code?: string; cause?: unknown } | undefined, i = 0; cur && i < 4; cur = cur.cause as typeof cur, i++) {
    if (cur.code && NETWORK.has(cur.code)) return true;
  }
  return false;
}

/** Waits between attempts; the delays are short, a delivery is not a queue. */
export const RETRY_DELAYS_MS = [1000, 3000];

export async function withRetries<T>(what: string, attempt: () => Promise<T>, log: (line: string) => void, signal?: AbortSignal): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      const err = e instanceof DeliveryError ? e : undefined;
      const delay = RETRY_DELAYS_MS[i];
      if (!err?.transient || delay === undefined || signal?.aborted) throw e;
      const wait = Math.max(delay, Math.min(err.retryAfterMs ?? 0, 30_000));
      log(`${what}: ${err.message}; trying again in ${Math.round(wait / 1000)} s (attempt ${i + 2} of ${RETRY_DELAYS_MS.length + 1})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    }
  }
}
