// Compare → Packages: what changed in the Python packages between the two runs, read from
// the locks each ran with (added, removed, another version).
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { shortHash } from '../../components/format.ts';

export function PackageChanges({ a, b }: { a: string; b: string }) {
  const q = useQuery(() => api.environments.packageChanges.query({ a, b }), [a, b]);
  const d = q.data;
  return (
    <>
      <h3 className="compare-h">Packages</h3>
      {q.error && <p className="field-error">{q.error}</p>}
      {d &&
        (!d.a && !d.b ? (
          <p className="muted">Neither run recorded its packages (they ran on an interpreter of the user’s own).</p>
        ) : d.a === d.b ? (
          <p className="muted">Both runs ran with the same packages (lock {shortHash(d.a ?? '')}).</p>
        ) : d.changes.length === 0 ? (
          <p className="muted">The locks differ ({shortHash(d.a ?? '—')} → {shortHash(d.b ?? '—')}) but not in package versions.</p>
        ) : (
          <table className="list-table" aria-label="Package changes">
            <thead>
              <tr>
                <th scope="col">Package</th>
                <th scope="col">A</th>
                <th scope="col">B</th>
              </tr>
            </thead>
            <tbody>
              {d.changes.map((c) => (
                <tr key={c.name} aria-label={`Package ${c.name}`}>
                  <td className="mono">{c.name}</td>
                  <td className="mono">{c.from ?? '—'}</td>
                  <td className="mono">{c.to ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </>
  );
}
