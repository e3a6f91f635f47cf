// The little markdown a report's text may use: # headings (three levels), paragraphs,
// "- " and "1. " lists, **bold**, *italic*, `code` and [links](https://…). Parsed into
// blocks of styled spans that both the HTML and the PDF renderer draw; anything else is
// plain text (never raw HTML: a report may travel by email).
export interface Span {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  href?: string;
}

export type TextBlock =
  | { type: 'heading'; level: 1 | 2 | 3; spans: Span[] }
  | { type: 'paragraph'; spans: Span[] }
  | { type: 'list'; ordered: boolean; items: Span[][] };

const INLINE = /(\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|`([^`]+)`|\[([^\]]+)\]\((https?:\/\/[^)\s]+|mailto:[^)\s]+)\))/g;

export function parseInline(text: string): Span[] {
  const spans: Span[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) spans.push({ text: text.slice(last, m.index) });
    if (m[2] ?? m[3]) spans.push({ text: (m[2] ?? m[3])!, bold: true });
    else if (m[4] ?? m[5]) spans.push({ text: (m[4] ?? m[5])!, italic: true });
    else if (m[6]) spans.push({ text: m[6], code: true });
    else if (m[7]) spans.push({ text: m[7], href: m[8] });
    last = m.index + m[0].length;
  }
  if (last < text.length) spans.push({ text: text.slice(last) });
  return spans;
}

export function parseMarkdown(text: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;
  const flush = () => {
    if (para.length) blocks.push({ type: 'paragraph', spans: parseInline(para.join(' ')) });
    para = [];
    if (list) blocks.push({ type: 'list', ordered: list.ordered, items: list.items.map(parseInline) });
    list = undefined;
  };
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    const bullet = /^[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\d+[.)]\s+(.*)$/.exec(line);
    if (!line) {
      flush();
    } else if (heading) {
      flush();
      blocks.push({ type: 'heading', level: heading[1]!.length as 1 | 2 | 3, spans: parseInline(heading[2]!) });
    } else if (bullet || numbered) {
      const ordered = !bullet;
      if (para.length || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push((bullet ?? numbered)![1]!);
    } else if (list && /^\s{2,}/.test(raw)) {
      list.items[list.items.length - 1] += ` ${line}`; // a list item continued on the next line
    } else {
      if (list) flush();
      para.push(line);
    }
  }
  flush();
  return blocks;
}

/** The blocks as plain text (Slack summaries, the email's text part). */
export function blocksToText(blocks: TextBlock[]): string {
  const spans = (s: Span[]) => s.map((x) => (x.href ? `${x.text} (${x.href})` : x.text)).join('');
  return blocks
    .map((b) => (b.type === 'list' ? b.items.map((it, i) => `${b.ordered ? `${i + 1}.` : '•'} ${spans(it)}`).join('\n') : spans(b.spans)))
    .join('\n\n');
}
