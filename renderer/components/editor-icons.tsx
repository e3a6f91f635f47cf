// Stroke icons of the editing controls (undo, redo, layout, fit, settings, compare), drawn
// like those of icons.tsx: inline SVG, currentColor, hidden from assistive technology.
import type { ReactNode } from 'react';

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg width={14} height={14} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

export const UndoIcon = () => (
  <Icon>
    <path d="M5.5 3.5L2.5 6.5l3 3" />
    <path d="M2.5 6.5h7a4 4 0 0 1 0 8H7" />
  </Icon>
);
export const RedoIcon = () => (
  <Icon>
    <path d="M10.5 3.5l3 3-3 3" />
    <path d="M13.5 6.5h-7a4 4 0 0 0 0 8H9" />
  </Icon>
);
export const LayoutIcon = () => (
  <Icon>
    <rect x="1.5" y="6" width="4" height="4" rx="1" />
    <rect x="10.5" y="2" width="4" height="4" rx="1" />
    <rect x="10.5" y="10" width="4" height="4" rx="1" />
    <path d="M5.5 8h2.5M8 4v8M8 4h2.5M8 12h2.5" />
  </Icon>
);
export const FitIcon = () => (
  <Icon>
    <path d="M2 5.5V2h3.5M10.5 2H14v3.5M14 10.5V14h-3.5M5.5 14H2v-3.5" />
    <rect x="5" y="5" width="6" height="6" rx="1" />
  </Icon>
);
export const SettingsIcon = () => (
  <Icon>
    <path d="M2 4h7M12 4h2M2 12h2M7 12h7M2 8h3M8 8h6" />
    <circle cx="10.5" cy="4" r="1.5" />
    <circle cx="5.5" cy="12" r="1.5" />
    <circle cx="6.5" cy="8" r="1.5" />
  </Icon>
);
export const CompareIcon = () => (
  <Icon>
    <rect x="1.5" y="2.5" width="5.5" height="11" rx="1" />
    <rect x="9" y="2.5" width="5.5" height="11" rx="1" />
    <path d="M3.5 6h1.5M3.5 9h1.5M11 6h1.5M11 9h1.5" />
  </Icon>
);
export const TrashIcon = () => (
  <Icon>
    <path d="M2.5 4.5h11M6 4.5V3h4v1.5M4 4.5l.7 9h6.6l.7-9" />
  </Icon>
);
