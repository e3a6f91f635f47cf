// One small drawn mark per kind of connection, so a list of them reads at a glance:
// a cylinder for server databases, a file for local ones, a cloud, a grid for sheets.
const COLORS: Record<string, string> = {
  postgres: '#336791', mysql: '#00758f', mariadb: '#c0765a', sqlite: '#4a8bc2', duckdb: '#d9a400',
  snowflake: '#29b5e8', bigquery: '#4386fa', google_sheets: '#0f9d58', smtp: '#7a5cc2', slack: '#4a154b',
};

function Glyph({ type }: { type: string }) {
  switch (type) {
    case 'sqlite': case 'duckdb':
      return <path d="M4 2h5.5L12 4.5V14H4z M9.5 2v2.5H12 M6 8h4M6 10.5h4" />;
    case 'snowflake':
      return <path d="M8 2v12M2.8 5l10.4 6M2.8 11l10.4-6" />;
    case 'bigquery':
      return <path d="M4.5 11.5a4.5 4.5 0 1 1 7 0L13.5 13.5 M6 9.5v-2M8 9.5V6M10 9.5V8" />;
    case 'smtp':
      return <path d="M2.5 4h11v8h-11z M2.5 4.5L8 9l5.5-4.5" />;
    case 'slack':
      return <path d="M6 2.5v11M10 2.5v11M2.5 6h11M2.5 10h11" />;
    case 'google_sheets':
      return <path d="M3.5 2.5h9v11h-9z M3.5 6h9M3.5 9.5h9M7.5 6v7.5" />;
    default:
      return <path d="M3 4c0-1.1 2.2-2 5-2s5 .9 5 2v8c0 1.1-2.2 2-5 2s-5-.9-5-2z M3 4c0 1.1 2.2 2 5 2s5-.9 5-2 M3 8c0 1.1 2.2 2 5 2s5-.9 5-2" />;
  }
}

export function TypeIcon({ type, size = 18 }: { type: string; size?: number }) {
  return (
    <span className="conn-icon" style={{ ['--conn-color' as string]: COLORS[type] ?? 'var(--muted)' }} aria-hidden="true">
      <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" focusable="false">
        <Glyph type={type} />
      </svg>
    </span>
  );
}
