// The message shown where there is nothing yet: says what it is and what to do next.
import type { ReactNode } from 'react';

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty" role="note" aria-label={title}>
      <h2>{title}</h2>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

export function ErrorNote({ title, message, action }: { title: string; message: string; action?: ReactNode }) {
  return (
    <div className="alert" role="alert">
      <strong>{title}</strong> <span>{message}</span> {action}
    </div>
  );
}
