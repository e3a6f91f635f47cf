// Tab through the canvas in the order a reader expects: every node first, then the edges.
// React Flow puts its edges before its nodes in the page, so by default Tab visits the
// connections before the things they connect. Within the canvas, Tab and Shift+Tab are
// steered here; entering from before or after the canvas lands on the first node or the
// last edge; leaving continues where the page would have gone.
import { useEffect, type RefObject } from 'react';

function focusables(host: HTMLElement) {
  const nodes = [...host.querySelectorAll<HTMLElement>('.react-flow__node[tabindex="0"]')];
  const edges = [...host.querySelectorAll<HTMLElement>('.react-flow__edge[tabindex="0"]')];
  return { nodes, edges, all: [...nodes, ...edges] };
}

export function useNodesFirstTabOrder(hostRef: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    // only focus moved by Tab is steered, not a click on a node
    let viaTab = false;
    const noteKey = (e: KeyboardEvent) => (viaTab = e.key === 'Tab');
    const notePointer = () => (viaTab = false);

    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Tab' || e.ctrlKey || e.metaKey || e.altKey) return;
      const { nodes, edges, all } = focusables(host);
      const i = all.indexOf(document.activeElement as HTMLElement);
      if (i < 0) return;
      const next = all[i + (e.shiftKey ? -1 : 1)];
      if (next) {
        e.preventDefault();
        next.focus();
      } else if (!e.shiftKey) {
        // past the last edge: the page goes on from after the last node (edges come first in it)
        nodes[nodes.length - 1]?.focus({ preventScroll: true });
      } else {
        // before the first node: the page goes back from before the first edge
        edges[0]?.focus({ preventScroll: true });
      }
    };
    const onFocusIn = (e: FocusEvent) => {
      if (!viaTab) return;
      viaTab = false;
      const { nodes, edges, all } = focusables(host);
      const to = e.target as HTMLElement;
      const from = e.relatedTarget as HTMLElement | null;
      if (!all.includes(to) || !from || all.includes(from)) return;
      const forward = !!(from.compareDocumentPosition(to) & Node.DOCUMENT_POSITION_FOLLOWING);
      const entry = forward ? nodes[0] : (edges[edges.length - 1] ?? nodes[nodes.length - 1]);
      if (entry && entry !== to) entry.focus();
    };
    document.addEventListener('keydown', noteKey, true);
    document.addEventListener('pointerdown', notePointer, true);
    host.addEventListener('keydown', onKeyDown);
    host.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', noteKey, true);
      document.removeEventListener('pointerdown', notePointer, true);
      host.removeEventListener('keydown', onKeyDown);
      host.removeEventListener('focusin', onFocusIn);
    };
  }, [hostRef]);
}
