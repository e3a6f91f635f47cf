// One labelled field of a settings form (the label names it for assistive technology and
// for error messages that say which field to fix).
import type { ReactNode } from 'react';

export function Field({ label, children, wide, help }: { label: string; children: ReactNode; wide?: boolean; help?: ReactNode }) {
  return (
    <label className={wide ? 'field wide' : 'field'}>
      <span>{label}</span>
      {children}
      {help && <span className="field-help">{help}</span>}
    </label>
  );
}
