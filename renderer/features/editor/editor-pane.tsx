// The graph section of a workflow as an editor: palette, canvas, editing toolbar, the
// reason a connection was refused, and the dialog for clashing external edits. It owns
// the editing keyboard shortcuts (the workflow page follows edits made to the files elsewhere).
import { useCallback, useEffect, useRef, useState } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useGraph } from '../../stores/graph-store.ts';
import type { LiveRun } from '../../stores/run-state.ts';
import { useUi } from '../../stores/ui-store.ts';
import type { NodeKind } from '../../stores/api-types.ts';
import { ConflictsDialog } from './conflicts-dialog.tsx';
import { ConnectModeStatus } from './connect-mode.tsx';
import { EmptyCanvasHint } from './empty-canvas-hint.tsx';
import { EditorToolbar } from './editor-toolbar.tsx';
import { useEditorShortcuts } from './editor-shortcuts.ts';
import { GraphCanvas } from './graph-canvas.tsx';
import { NODE_HEIGHT, NODE_WIDTH } from './graph-layout.ts';
import { Palette } from './palette.tsx';
import { RefusalAlert } from './refusal-alert.tsx';
import './editor.css';

/** The node open in the inspector is the selected one on the canvas (whoever opened it). */
function useInspectedIsSelected(): void {
  const inspected = useUi((s) => s.selectedNodeId);
  const known = useGraph((s) => !!inspected && s.nodes.some((n) => n.id === inspected));
  useEffect(() => {
    if (!inspected || !known) return;
    const g = useGraph.getState();
    if (!g.nodes.find((n) => n.id === inspected)?.selected) g.selectOnly([inspected]);
  }, [inspected, known]);
}

function Editor({ run }: { run?: LiveRun }) {
  const editable = useGraph((s) => !!s.doc);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const pane = useRef<HTMLDivElement>(null);
  const flow = useReactFlow();
  useEditorShortcuts();
  useInspectedIsSelected();

  // click-to-add: right of the one selected node (the usual next step), else mid-view
  const add = useCallback(
    (kind: NodeKind) => {
      const g = useGraph.getState();
      const selected = g.nodes.filter((n) => n.selected);
      let at = { x: 0, y: 0 };
      if (selected.length === 1) at = { x: selected[0]!.position.x + NODE_WIDTH + 60, y: selected[0]!.position.y };
      else {
        const r = pane.current?.getBoundingClientRect();
        const c = r ? flow.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : at;
        at = { x: c.x - NODE_WIDTH / 2, y: c.y - NODE_HEIGHT / 2 };
      }
      const id = g.addNode(kind, at);
      if (id) useUi.getState().selectNode(id, kind === 'source' || kind === 'publish' ? 'settings' : 'code');
    },
    [flow],
  );

  return (
    <div className="editor-pane" ref={pane}>
      <GraphCanvas run={run} editable={editable} />
      <Palette disabled={!editable} onAdd={add} />
      <EditorToolbar editable={editable} settingsOpen={settingsOpen} onSettings={setSettingsOpen} />
      <RefusalAlert />
      <ConnectModeStatus />
      <EmptyCanvasHint />
      <ConflictsDialog />
    </div>
  );
}

export function EditorPane(props: { run?: LiveRun }) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}
