// Graph gestures as a user makes them: drag from one node's output handle to another's
// input, zoom to fit, find an edge.
import type { Page } from 'playwright-core';

/** A node's data handle (not the hidden one the dashed "publishes wait on" edges use). */
export const handle = (page: Page, id: string, type: 'source' | 'target') => page.locator(`.react-flow__node[data-id="${id}"] .react-flow__handle.${type}:not(.wf-gate-handle)`);
export const edge = (page: Page, from: string, to: string) => page.locator(`[data-testid="rf__edge-${from}->${to}"]`);

export async function connect(page: Page, from: string, to: string): Promise<void> {
  const a = (await handle(page, from, 'source').boundingBox())!;
  const b = (await handle(page, to, 'target').boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 15 });
  await page.mouse.up();
}

export async function fit(page: Page): Promise<void> {
  await page.getByRole('toolbar', { name: 'Editing' }).getByRole('button', { name: 'Zoom to fit' }).click();
  await page.waitForTimeout(400);
}
