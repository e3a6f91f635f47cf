// A run's report in the inspector: the self-contained HTML in a sandboxed frame (no
// scripts, no same-origin: a report is data, not code), its PDF to download, and what
// was delivered to people in this run.
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { ErrorNote } from '../../components/empty-state.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { useUi } from '../../stores/ui-store.ts';
import { DeliveryList } from './delivery-list.tsx';
import './reports.css';

/** Saves base64 bytes as a file through the browser's download. */
export function download(fileName: string, base64: string, type: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ReportPreview({ runId, nodeId }: { runId: string; nodeId: string }) {
  const q = useQuery(() => api.reports.get.query({ runId, nodeId }), [runId, nodeId]);
  const notify = useUi((s) => s.notify);
  if (q.error && !q.data) return <ErrorNote title="Could not show the report." message={q.error} />;
  if (!q.data) return <div className="output-note"><Spinner label="Loading the report" /></div>;
  const r = q.data;
  const savePdf = async () => {
    try {
      const pdf = await api.reports.pdf.query({ runId, nodeId });
      download(pdf.fileName, pdf.base64, 'application/pdf');
    } catch (e) {
      notify('error', `Could not download the PDF: ${(e as Error).message}`);
    }
  };
  return (
    <div className="report-preview">
      <div className="report-bar">
        <span className="muted small">
          {r.charts} {r.charts === 1 ? 'chart' : 'charts'} · {r.tables.map((t) => `${t.title}: ${t.shown} of ${t.total.toLocaleString('en-US')} rows`).join(' · ') || 'no tables'}
        </span>
        <div className="spacer" />
        <button className="btn small" onClick={() => void savePdf()}>Download PDF ({Math.max(1, Math.round(r.pdfBytes / 1024))} KB)</button>
      </div>
      <iframe className="report-frame" title={`Report: ${r.title}`} sandbox="" srcDoc={r.html} />
      <DeliveryList runId={runId} />
    </div>
  );
}

export function FigurePreview({ runId, nodeId }: { runId: string; nodeId: string }) {
  const q = useQuery(() => api.reports.figure.query({ runId, nodeId }), [runId, nodeId]);
  if (q.error) return <ErrorNote title="Could not show the figure." message={q.error} />;
  if (q.data === undefined) return <div className="output-note"><Spinner label="Loading the figure" /></div>;
  if (q.data === null) return <p className="muted output-note">This node gave no table and no figure in the run on display.</p>;
  return (
    <figure className="figure-preview">
      <img src={`data:image/png;base64,${q.data.base64}`} alt={`Figure returned by ${nodeId}`} />
      <figcaption className="muted small">The figure run() returned; a report node shows it with charts: [{'{'} figure: {nodeId} {'}'}].</figcaption>
    </figure>
  );
}
