// Small stroke icons as inline SVG: crisp at any zoom and independent of which fonts the
// machine has (symbol glyphs are missing from many Linux installs).
import type { ReactNode } from 'react';

function Icon({ children, size = 14 }: { children: ReactNode; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

export const PlayIcon = () => (
  <Icon>
    <path d="M4.5 3v10l8.5-5z" fill="currentColor" stroke="none" />
  </Icon>
);
export const StopIcon = () => (
  <Icon>
    <rect x="4" y="4" width="8" height="8" rx="1.2" fill="currentColor" stroke="none" />
  </Icon>
);
export const PlusIcon = () => (
  <Icon>
    <path d="M8 3v10M3 8h10" />
  </Icon>
);
export const FolderIcon = () => (
  <Icon>
    <path d="M2 4.5A1.5 1.5 0 0 1 3.5 3h3l1.5 1.5h4.5A1.5 1.5 0 0 1 14 6v5.5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 11.5z" />
  </Icon>
);
export const CloseIcon = () => (
  <Icon>
    <path d="M4 4l8 8M12 4l-8 8" />
  </Icon>
);
export const ChevronDownIcon = () => (
  <Icon size={12}>
    <path d="M4 6l4 4 4-4" />
  </Icon>
);
export const SaveIcon = () => (
  <Icon>
    <path d="M3 3h8l2 2v8H3z M5.5 3v3h4.5V3 M5 13V9.5h6V13" />
  </Icon>
);

/** One glyph per node kind, drawn rather than typed. */
export function KindIcon({ kind }: { kind: string }) {
  switch (kind) {
    case 'source':
      return (
        <Icon size={16}>
          <ellipse cx="8" cy="4" rx="5" ry="2" />
          <path d="M3 4v8c0 1.1 2.2 2 5 2s5-.9 5-2V4M3 8c0 1.1 2.2 2 5 2s5-.9 5-2" />
        </Icon>
      );
    case 'sql':
      return (
        <Icon size={16}>
          <rect x="2.5" y="3" width="11" height="10" rx="1.5" />
          <path d="M2.5 6.5h11M6.5 6.5V13" />
        </Icon>
      );
    case 'python':
      return (
        <Icon size={16}>
          <path d="M6 4L2.5 8 6 12M10 4l3.5 4-3.5 4" />
        </Icon>
      );
    case 'check':
      return (
        <Icon size={16}>
          <path d="M3 8.5l3 3 7-7" />
        </Icon>
      );
    case 'metric':
      return (
        <Icon size={16}>
          <path d="M2.5 12.5l3.5-4 3 2.5 4.5-6" />
        </Icon>
      );
    case 'publish':
      return (
        <Icon size={16}>
          <path d="M8 10.5V2.5M4.5 6L8 2.5 11.5 6M3 10v3h10v-3" />
        </Icon>
      );
    case 'report':
      return (
        <Icon size={16}>
          <path d="M4 2.5h6l2.5 2.5v8.5H4z M6 11V9M8 11V6.5M10 11V8" />
        </Icon>
      );
    default:
      return (
        <Icon size={16}>
          <circle cx="8" cy="8" r="3" />
        </Icon>
      );
  }
}
