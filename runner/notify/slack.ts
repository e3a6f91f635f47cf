// Slack incoming webhook: one HTTP POST of JSON {text}. Slack answers 200 "ok"; anything
// else is reported with Slack's own words (e.g. "invalid_token", "no_service").
import type { RunNotification } from './types.ts';

const ICON: Record<string, string> = { failed: ':x:', interrupted: ':warning:', succeeded_with_warnings: ':warning:', succeeded: ':white_check_mark:' };

export function slackText(msg: RunNotification): string {
  const head = `${ICON[msg.status] ?? ':information_source:'} *${msg.title}*`;
  return `${head}\n\`\`\`\n${msg.text}\n\`\`\``;
}

export async function postSlack(webhookUrl: string, msg: RunNotification): Promise<string> {
  const res = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: slackText(msg) }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await res.text()).slice(0, 200);
  if (!res.ok) throw new Error(`Slack answered ${res.status}${body ? `: ${body}` : ''}`);
  return `Slack answered ${res.status}`;
}
