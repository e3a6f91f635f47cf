// Error texts as they are stored and shown. A node's message, detail and fix longer than
// 8 KB keep their head and tail around a marker (a 5 MB exception message is neither
// stored whole nor printed in full); a run's error quotes only the start of its node's
// message. The bundle runtime applies the same rule (aqueduct_runtime/values.py).
import type { NodeError } from '../api/types.ts';

export const MAX_ERROR_CHARS = 8192;
export const MAX_SUMMARY_CHARS = 200;

/** `text` itself when short; else its head and tail with a marker saying how much was cut. */
export function clipText(text: string, max = MAX_ERROR_CHARS): string {
  if (text.length <= max) return text;
  const keep = Math.floor(max / 2);
  return `${text.slice(0, keep)}\n… [${text.length - 2 * keep} characters cut] …\n${text.slice(-keep)}`;
}

export function clipNodeError(e: NodeError): NodeError {
  const out: NodeError = { message: clipText(e.message) };
  if (e.detail !== undefined) out.detail = clipText(e.detail);
  if (e.fix !== undefined) out.fix = clipText(e.fix);
  return out;
}

/** The first line of a message, at most 200 characters: what a run's error quotes. */
export function summaryLine(text: string, max = MAX_SUMMARY_CHARS): string {
  const first = text.split('\n', 1)[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}
