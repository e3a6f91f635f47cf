// The engine that ran a run, as a small badge in the runs list: "Local" stays quiet,
// a remote engine stands out, so runs pushed elsewhere are seen at a glance.
import { ENGINE_LABEL } from './engine-types.ts';
import './engines.css';

export function EngineBadge({ engine }: { engine: string }) {
  const label = ENGINE_LABEL[engine] ?? engine;
  return (
    <span className="engine-badge" data-engine={engine} aria-label={`Engine: ${label}`} title={`Ran on ${label}`}>
      {engine === 'python' ? 'Python' : label}
    </span>
  );
}
