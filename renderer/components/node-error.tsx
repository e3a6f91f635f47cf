// A failed node's error: the message, what to do about it, and the full traceback or
// SQL detail in a monospace block the user can select and copy.
import { useEffect, useRef } from 'react';
import type { NodeError } from '../stores/api-types.ts';

export function NodeErrorView({ nodeId, error }: { nodeId: string; error: NodeError }) {
  const pre = useRef<HTMLPreElement>(null);
  // the cause of a Python error is at the bottom of its traceback: show that part first
  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [error.detail]);
  return (
    <section className="node-error" role="alert" aria-label={`Error in ${nodeId}`}>
      <div className="node-error-title">
        <span aria-hidden="true">✕</span> {error.message}
      </div>
      {error.fix && (
        <div className="node-error-fix">
          <strong>How to fix:</strong> {error.fix}
        </div>
      )}
      {error.detail && (
        <details open>
          <summary>Traceback</summary>
          <pre className="traceback" ref={pre} tabIndex={0} aria-label="Traceback">{error.detail}</pre>
        </details>
      )}
    </section>
  );
}
