// Editing keys of the canvas: undo (Ctrl/Cmd+Z), redo (Shift+Ctrl/Cmd+Z or Ctrl+Y), select
// every node (Ctrl/Cmd+A, instead of the page's text), copy, cut and paste of the selected
// nodes. Delete/Backspace is React Flow's own. Keys typed into a text field or the code
// editor are left to it (CodeMirror has its own undo and select-all).
import { useEffect } from 'react';
import { useGraph } from '../../stores/graph-store.ts';
import { useUi } from '../../stores/ui-store.ts';

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || !!target.closest('.cm-editor');
}

export function useEditorShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || typingInto(e.target)) return;
      const g = useGraph.getState();
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) g.undo();
      else if ((key === 'z' && e.shiftKey) || key === 'y') g.redo();
      else if (key === 'a' && !e.shiftKey) g.selectOnly(g.nodes.map((n) => n.id));
      else if (key === 'c') {
        if (!g.copySelection()) return;
      } else if (key === 'x') {
        if (!g.copySelection()) return;
        g.deleteElements(g.nodes.filter((n) => n.selected).map((n) => n.id), []);
      } else if (key === 'v') {
        if (!g.paste()) return;
        const picked = useGraph.getState().nodes.filter((n) => n.selected);
        if (picked.length === 1) useUi.getState().selectNode(picked[0]!.id);
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
