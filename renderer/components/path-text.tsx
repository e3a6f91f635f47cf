// A file path in a narrow column: what tells two paths apart is their tail (the workflow's
// folder, the file's name), so the tail always shows whole and only the middle gives way,
// with the full path on hover. One span each, so the text reads and copies as one path.
import { splitPath } from './format.ts';

export function PathText({ path, className }: { path: string; className?: string }) {
  const { head, tail } = splitPath(path);
  return (
    <span className={className ? `path-text ${className}` : 'path-text'} title={path}>
      <span className="path-head">{head}</span>
      <span className="path-tail">{tail}</span>
    </span>
  );
}
