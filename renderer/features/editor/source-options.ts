// The reading options of a source as the form shows them. Null markers are a list in the
// file; in the form they are "empty cells are null" plus the other markers as text, and
// the list is written only when it differs from pandas' defaults. Pure: unit-tested.
import type { NodeSpec } from '../../stores/graph-doc.ts';

/** Mirrors PANDAS_NULL_VALUES of runner/exec/kinds/source-reader.ts (not imported: runner code stays out of the bundle). */
export const PANDAS_NULL_VALUES: readonly string[] = [
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN',
  '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
];

export type SourceSpec = Extract<NodeSpec, { kind: 'source' }>;
export type ColumnType = NonNullable<SourceSpec['column_types']>[string];

export const COLUMN_TYPES: { value: ColumnType; label: string }[] = [
  { value: 'string', label: 'text' },
  { value: 'integer', label: 'integer' },
  { value: 'number', label: 'number' },
  { value: 'boolean', label: 'true/false' },
  { value: 'date', label: 'date' },
  { value: 'timestamp', label: 'date and time' },
];

export const DELIMITERS: { value: string; label: string }[] = [
  { value: '', label: 'detect' },
  { value: ',', label: ', (comma)' },
  { value: ';', label: '; (semicolon)' },
  { value: '\t', label: 'tab' },
  { value: '|', label: '| (pipe)' },
];

export const ENCODINGS: { value: string; label: string }[] = [
  { value: '', label: 'UTF-8' },
  { value: 'utf-16', label: 'UTF-16' },
  { value: 'latin-1', label: 'Latin-1 (ISO-8859-1)' },
];

/** The markers in effect: the node's own list, else pandas' defaults. */
export function nullMarkers(node: SourceSpec): readonly string[] {
  return node.null_values ?? PANDAS_NULL_VALUES;
}

/** "NA, n/a, -" → the non-empty markers typed, in order, without repeats. */
export function parseMarkers(text: string): string[] {
  return [...new Set(text.split(',').map((m) => m.trim()).filter(Boolean))];
}

export function markersText(markers: readonly string[]): string {
  return markers.filter((m) => m !== '').join(', ');
}

/** The null_values to store: undefined while they are pandas' defaults (in any order). */
export function nullValuesFor(emptyIsNull: boolean, markers: string[]): string[] | undefined {
  const list = emptyIsNull ? ['', ...markers.filter((m) => m !== '')] : markers.filter((m) => m !== '');
  const same = list.length === PANDAS_NULL_VALUES.length && PANDAS_NULL_VALUES.every((m) => list.includes(m));
  return same ? undefined : list;
}

/** Where a relative path is read from, as the runner resolves it (the workflow folder first). */
export function resolvedPath(folder: string, file: string): string {
  if (/^([a-zA-Z]:[\\/]|[\\/])/.test(file)) return file;
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return `${folder.replace(/[\\/]+$/, '')}${sep}${file.replace(/^\.[\\/]/, '')}`;
}

/** A path the OS dialog gave, relative to the workflow folder when it is inside it. */
export function relativeToFolder(folder: string, file: string): string {
  const root = folder.replace(/[\\/]+$/, '');
  if (file.startsWith(root) && /^[\\/]/.test(file.slice(root.length))) return file.slice(root.length + 1).replaceAll('\\', '/');
  return file;
}
