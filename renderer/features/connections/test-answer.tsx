// The answer of "Test connection": connected, or which kind of failure with the
// message and the fix, in words a data scientist can act on.
import type { TestAnswer } from './connection-types.ts';
import { PROBLEM_TITLE } from './connection-types.ts';

export function TestAnswerNote({ answer }: { answer: TestAnswer }) {
  if (answer.ok) {
    return (
      <div className="conn-answer" data-ok="true" role="status" aria-label="Test result">
        <span className="badge" data-tone="ok">Connected</span>
        <span className="conn-answer-text">{answer.message}</span>
        <span className="muted conn-answer-ms">{answer.ms} ms</span>
      </div>
    );
  }
  return (
    <div className="conn-answer" data-ok="false" data-problem={answer.problem ?? 'error'} role="alert" aria-label="Test result">
      <div className="conn-answer-head">
        <span className="badge" data-tone="fail">{PROBLEM_TITLE[answer.problem ?? 'error'] ?? 'Failed'}</span>
        <span className="conn-answer-text">{answer.message}</span>
      </div>
      {answer.fix && (
        <p className="conn-answer-fix">
          <strong>Fix:</strong> {answer.fix}
        </p>
      )}
    </div>
  );
}

/** The saved outcome of the last test, as a small status pill. */
export function LastTestBadge({ lastTest }: { lastTest?: { ok: boolean; message: string; at: number } }) {
  if (!lastTest) return <span className="badge" data-tone="idle" title="Not tested since it was saved">not tested</span>;
  return (
    <span className="badge" data-tone={lastTest.ok ? 'ok' : 'fail'} title={lastTest.message}>
      {lastTest.ok ? 'connected' : 'failed'}
    </span>
  );
}
