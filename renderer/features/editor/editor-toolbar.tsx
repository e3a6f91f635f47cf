// The editing controls over the canvas: undo, redo, automatic layout, zoom to fit, and the
// workflow's own settings (name, description, parameters) in a popover.
import { useReactFlow } from '@xyflow/react';
import { FitIcon, LayoutIcon, RedoIcon, SettingsIcon, UndoIcon } from '../../components/editor-icons.tsx';
import { selectCanRedo, selectCanUndo, useGraph } from '../../stores/graph-store.ts';
import { MOD } from './run-toolbar.tsx';
import { FIT } from './graph-canvas.tsx';
import { WorkflowSettings } from './workflow-settings.tsx';

export function EditorToolbar({ editable, settingsOpen, onSettings }: { editable: boolean; settingsOpen: boolean; onSettings(open: boolean): void }) {
  const canUndo = useGraph(selectCanUndo);
  const canRedo = useGraph(selectCanRedo);
  const flow = useReactFlow();
  const fit = () => void flow.fitView({ ...FIT, duration: 250 });

  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Editing">
      <button className="btn small ghost icon-btn" aria-label="Undo" aria-keyshortcuts="Control+Z Meta+Z" title={`Undo (${MOD}+Z)`} disabled={!canUndo} onClick={() => useGraph.getState().undo()}>
        <UndoIcon />
      </button>
      <button
        className="btn small ghost icon-btn"
        aria-label="Redo"
        aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z"
        title={`Redo (${MOD}+Shift+Z)`}
        disabled={!canRedo}
        onClick={() => useGraph.getState().redo()}
      >
        <RedoIcon />
      </button>
      <span className="editor-toolbar-sep" aria-hidden="true" />
      <button
        className="btn small ghost"
        disabled={!editable}
        title="Place every node automatically, left to right as the data flows"
        onClick={() => {
          useGraph.getState().autoLayout();
          // after React Flow has the new positions
          requestAnimationFrame(fit);
        }}
      >
        <LayoutIcon /> Auto layout
      </button>
      <button className="btn small ghost" onClick={fit} title="Show the whole workflow">
        <FitIcon /> Zoom to fit
      </button>
      <span className="editor-toolbar-sep" aria-hidden="true" />
      <div className="popover-anchor">
        <button className="btn small ghost" aria-expanded={settingsOpen} aria-haspopup="dialog" disabled={!editable} onClick={() => onSettings(!settingsOpen)}>
          <SettingsIcon /> Workflow settings
        </button>
        {settingsOpen && (
          <div className="popover popover-right workflow-settings-popover" role="dialog" aria-label="Workflow settings">
            <WorkflowSettings onClose={() => onSettings(false)} />
          </div>
        )}
      </div>
    </div>
  );
}
