// One labelled field of a settings form (the label names it for assistive technology and
// for error messages that say which field to fix). Help text sits outside the label, so
// the field's accessible name is its label alone.
import type { ReactNode } from 'react';

export function Field({ label, children, wide, help }: { label: string; children: ReactNode; wide?: boolean; help?: ReactNode }) {
  const className = wide ? 'field wide' : 'field';
  if (!help) {
    return (
      <label className={className}>
        <span>{label}</span>
        {children}
      </label>
    );
  }
  return (
    <div className={className}>
      <label className="field-stack">
        <span>{label}</span>
        {children}
      </label>
      <span className="field-help">{help}</span>
    </div>
  );
}
