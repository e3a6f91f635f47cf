// Undo and redo over whole documents. Typing in the code editor or a settings field
// would otherwise make one undo step per key: edits with the same key (e.g. "code:nodeA")
// arriving within a short pause join the step before them.
import type { GraphDoc } from './graph-doc.ts';

export interface History {
  past: GraphDoc[];
  future: GraphDoc[];
  lastKey?: string;
  lastAt: number;
}

export const LIMIT = 200;
export const JOIN_MS = 1200;

export const emptyHistory = (): History => ({ past: [], future: [], lastAt: 0 });

/** Notes that `prev` was replaced by an edit (with an optional joining key) at `now`. */
export function record(h: History, prev: GraphDoc, key: string | undefined, now: number): History {
  if (key !== undefined && key === h.lastKey && now - h.lastAt < JOIN_MS && h.past.length > 0) {
    return { ...h, future: [], lastAt: now };
  }
  return { past: [...h.past, prev].slice(-LIMIT), future: [], lastKey: key, lastAt: now };
}

export function undo(h: History, current: GraphDoc): { history: History; doc: GraphDoc } | undefined {
  const doc = h.past[h.past.length - 1];
  if (!doc) return undefined;
  return { doc, history: { past: h.past.slice(0, -1), future: [current, ...h.future], lastAt: 0 } };
}

export function redo(h: History, current: GraphDoc): { history: History; doc: GraphDoc } | undefined {
  const [doc, ...future] = h.future;
  if (!doc) return undefined;
  return { doc, history: { past: [...h.past, current].slice(-LIMIT), future, lastAt: 0 } };
}
