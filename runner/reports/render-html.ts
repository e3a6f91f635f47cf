// A report as one self-contained HTML file: styles inline, every chart an <img> with its
// image inline (SVG for the file; for email a PNG attached to the message and named by
// cid:, which mail clients show where they block data: URLs). Nothing in it runs: no scripts, and images are inert,
// so the file is safe to open, to show in the app's sandboxed preview and to email.
import fs from 'node:fs';
import path from 'node:path';
import type { Span, TextBlock } from './markdown.ts';
import type { ReportModel } from './report-model.ts';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function spans(list: Span[]): string {
  return list
    .map((s) => {
      let t = escapeHtml(s.text);
      if (s.code) t = `<code>${t}</code>`;
      if (s.bold) t = `<strong>${t}</strong>`;
      if (s.italic) t = `<em>${t}</em>`;
      if (s.href) t = `<a href="${escapeHtml(s.href)}">${t}</a>`;
      return t;
    })
    .join('');
}

function block(b: TextBlock): string {
  if (b.type === 'heading') return `<h${b.level + 1}>${spans(b.spans)}</h${b.level + 1}>`;
  if (b.type === 'paragraph') return `<p>${spans(b.spans)}</p>`;
  const tag = b.ordered ? 'ol' : 'ul';
  return `<${tag}>${b.items.map((it) => `<li>${spans(it)}</li>`).join('')}</${tag}>`;
}

const STYLE = `
body{font-family:-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:#1f2430;background:#fff;margin:0;line-height:1.5}
main{max-width:860px;margin:0 auto;padding:32px 28px}
h1{font-size:26px;margin:0 0 4px} h2{font-size:20px;margin:28px 0 8px} h3{font-size:17px;margin:22px 0 6px} h4{font-size:15px;margin:18px 0 6px}
.meta{color:#5b6272;font-size:13px;margin:0 0 24px}
figure{margin:24px 0} figure img{max-width:100%;height:auto;border:1px solid #e3e6ec;border-radius:6px}
figcaption{font-weight:600;margin-bottom:8px} .note{color:#5b6272;font-size:12px;margin-top:4px}
table{border-collapse:collapse;font-size:13px;min-width:60%} th,td{padding:5px 8px;border-bottom:1px solid #e3e6ec;text-align:left;white-space:nowrap}
th{background:#f4f6f9;font-weight:600} td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto} code{background:#f4f6f9;padding:1px 4px;border-radius:3px}
`;

export interface HtmlOptions {
  /** where the chart files are (the report folder) */
  dir: string;
  /** how charts are shown: inline SVG or PNG (files), or PNG attached to an email and named by cid: */
  images: 'svg' | 'png' | 'cid';
}

export function renderHtml(m: ReportModel, o: HtmlOptions): string {
  const meta = [m.facts.workflow, `run ${m.facts.runId.slice(0, 8)}`, m.facts.date, m.facts.owner ? `owner ${m.facts.owner}` : undefined]
    .filter(Boolean)
    .map((x) => escapeHtml(String(x)))
    .join(' · ');
  const charts = m.charts.map((c, i) => {
    const svg = o.images === 'svg' && c.svg;
    const src = o.images === 'cid'
      ? `cid:${c.png}@report`
      : `data:image/${svg ? 'svg+xml' : 'png'};base64,${fs.readFileSync(path.join(o.dir, svg ? c.svg! : c.png)).toString('base64')}`;
    const alt = escapeHtml(c.title || `Chart ${i + 1}`);
    return `<figure>${c.title ? `<figcaption>${escapeHtml(c.title)}</figcaption>` : ''}<img src="${src}" alt="${alt}" width="${c.width}" height="${c.height}">${c.note ? `<div class="note">${escapeHtml(c.note)}</div>` : ''}</figure>`;
  });
  const tables = m.tables.map((t) => {
    const head = t.columns.map((c, j) => `<th${t.numeric[j] ? ' class="num"' : ''}>${escapeHtml(c)}</th>`).join('');
    const body = t.rows.map((r) => `<tr>${r.map((v, j) => `<td${t.numeric[j] ? ' class="num"' : ''}>${escapeHtml(v)}</td>`).join('')}</tr>`).join('');
    const note = t.total > t.rows.length ? `first ${t.rows.length.toLocaleString('en-US')} of ${t.total.toLocaleString('en-US')} rows` : `${t.total.toLocaleString('en-US')} rows`;
    return `<figure><figcaption>${escapeHtml(t.title)}</figcaption><div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div><div class="note">${note}</div></figure>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(m.title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(m.title)}</h1>
<p class="meta">${meta}</p>
${m.blocks.map(block).join('\n')}
${charts.join('\n')}
${tables.join('\n')}
</main></body></html>
`;
}
