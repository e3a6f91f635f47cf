// What the notebook dialogs read from the API, named once.
import type { RouterInputs, RouterOutputs } from '../../client/index.ts';

export type NotebookReview = RouterOutputs['notebooks']['analyze'];
export type NotebookAnalysis = NotebookReview['analysis'];
export type NotebookIssue = NotebookAnalysis['issues'][number];
export type NotebookCell = NotebookReview['cells'][number];
export type ImportAnswer = RouterOutputs['notebooks']['import'];
/** the notebook as the dialog sends it: uploaded text or a path on the runner's machine */
export type NotebookSource = Pick<RouterInputs['notebooks']['analyze'], 'text' | 'path' | 'fileName' | 'baseDir'>;

/** The notebook's text without its outputs (images, tables): the import never reads them. */
export function withoutOutputs(text: string): string {
  try {
    const nb = JSON.parse(text) as { cells?: { outputs?: unknown }[] };
    for (const cell of nb.cells ?? []) if (cell && typeof cell === 'object' && 'outputs' in cell) cell.outputs = [];
    return JSON.stringify(nb);
  } catch {
    return text; // not JSON: the runner says so in its own words
  }
}
