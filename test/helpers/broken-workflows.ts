// Broken workflow folders for the spec fuzz test: a small valid workflow (source → sql →
// python → check, metric, publish) with one to three mistakes a user makes, each drawn by
// fast-check. Every mistake says what it should lead to: `invalid` (validate refuses the
// folder), `fails` (the folder is valid, the run fails at a node), or `any` (either).
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { tempHome } from './home.ts';
import { numbersCsv } from './workflows.ts';

export type Outcome = 'invalid' | 'fails' | 'any';

/** A workflow folder before it is written: the definition, or raw text replacing it, and files (null: a folder). */
export interface Draft {
  doc: Record<string, unknown>;
  text?: string;
  files: Record<string, string | null>;
}

export interface Mistake {
  label: string;
  outcome: Outcome;
  apply: (d: Draft) => void;
  /** what it changes; of two mistakes on the same target only the later one is kept (it would undo the first) */
  target?: string;
}

export interface BrokenFolder {
  draft: Draft;
  mistakes: Mistake[];
  outcome: Outcome;
}

type Node = Record<string, unknown>;

export function baseDraft(): Draft {
  return {
    doc: {
      name: 'fuzz',
      parameters: { min_amount: { type: 'number', default: 0 } },
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'totals', kind: 'sql', inputs: ['numbers'] },
        { id: 'scored', kind: 'python', inputs: ['totals'] },
        { id: 'enough', kind: 'check', inputs: ['scored'] },
        { id: 'mean_total', kind: 'metric', inputs: ['scored'], bounds: { lower: 0 } },
        { id: 'out_csv', kind: 'publish', inputs: ['scored'], destination: { type: 'csv', path: 'out/scored.csv' } },
      ],
    },
    files: {
      'data/numbers.csv': numbersCsv(6),
      'nodes/totals.sql': 'SELECT grp, sum(amount) AS total FROM numbers WHERE amount >= $min_amount GROUP BY grp ORDER BY grp',
      'nodes/scored.py': 'def run(totals, min_amount):\n    return totals.assign(score=totals["total"] * 2)\n',
      'nodes/enough.sql': 'SELECT count(*) > 0 FROM scored',
      'nodes/mean_total.sql': 'SELECT avg(total) FROM scored',
    },
  };
}

const NODE_COUNT = 6;
const nodesOf = (d: Draft): Node[] | undefined => (Array.isArray(d.doc.nodes) ? (d.doc.nodes as Node[]) : undefined);
const nodeAt = (d: Draft, i: number): Node | undefined => {
  const n = nodesOf(d)?.[i];
  return n !== null && typeof n === 'object' && !Array.isArray(n) ? n : undefined;
};
const byId = (d: Draft, id: string): Node | undefined => nodesOf(d)?.find((n) => n !== null && typeof n === 'object' && (n as Node).id === id);
const mistake = (label: string, outcome: Outcome, apply: (d: Draft) => void, target?: string): Mistake => ({ label, outcome, apply, target });

/** Short text; short enough that it never spells "undefined" or "TypeError" by chance. */
const word = fc.string({ minLength: 1, maxLength: 8 });
const lowerWord = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);
const anyValue = fc.oneof(fc.integer({ min: -5, max: 99 }), word, fc.boolean(), fc.constant(null), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 2 }), fc.constant({ a: 1 }));

type Kind = 'string' | 'number' | 'array' | 'object' | 'boolean';
const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** A field and the type the schema wants there. */
const TYPED_FIELDS: [string, (d: Draft) => [Node | Record<string, unknown>, string] | undefined, Kind][] = [
  ['name', (d) => [d.doc, 'name'], 'string'],
  ['nodes', (d) => [d.doc, 'nodes'], 'array'],
  ['parameters', (d) => [d.doc, 'parameters'], 'object'],
  ['parameters.min_amount', (d) => (d.doc.parameters && typeof d.doc.parameters === 'object' ? [d.doc.parameters as Node, 'min_amount'] : undefined), 'object'],
  ['id', (d) => { const n = nodeAt(d, 1); return n && [n, 'id']; }, 'string'],
  ['inputs', (d) => { const n = nodeAt(d, 2); return n && [n, 'inputs']; }, 'array'],
  ['timeout', (d) => { const n = nodeAt(d, 2); return n && [n, 'timeout']; }, 'number'],
  ['retries', (d) => { const n = nodeAt(d, 1); return n && [n, 'retries']; }, 'number'],
  ['description', (d) => { const n = nodeAt(d, 0); return n && [n, 'description']; }, 'string'],
  ['file', (d) => { const n = byId(d, 'numbers'); return n && [n, 'file']; }, 'string'],
  ['destination', (d) => { const n = byId(d, 'out_csv'); return n && [n, 'destination']; }, 'object'],
  ['destination.path', (d) => { const n = byId(d, 'out_csv')?.destination; return n && typeof n === 'object' ? [n as Node, 'path'] : undefined; }, 'string'],
  ['bounds', (d) => { const n = byId(d, 'mean_total'); return n && [n, 'bounds']; }, 'object'],
  ['bounds.lower', (d) => { const n = byId(d, 'mean_total')?.bounds; return n && typeof n === 'object' ? [n as Node, 'lower'] : undefined; }, 'number'],
  ['layout', (d) => [d.doc, 'layout'], 'object'],
];

/** Fields whose mistakes another mistake can overwrite (see Mistake.target). */
const TARGET_OF: Record<string, string> = {
  name: 'name', parameters: 'parameters', 'parameters.min_amount': 'parameters', file: 'source', destination: 'destination', 'destination.path': 'destination',
};

const REQUIRED: [string, (d: Draft) => void, string?][] = [
  ['name', (d) => delete d.doc.name, 'name'],
  ['node id', (d) => { const n = nodeAt(d, 3); if (n) delete n.id; }],
  ['node kind', (d) => { const n = nodeAt(d, 1); if (n) delete n.kind; }],
  ['destination', (d) => { const n = byId(d, 'out_csv'); if (n) delete n.destination; }, 'destination'],
  ['destination.type', (d) => { const dest = byId(d, 'out_csv')?.destination as Node | undefined; if (dest && typeof dest === 'object') delete dest.type; }, 'destination'],
  ['parameter type', (d) => { const p = (d.doc.parameters as Record<string, Node> | undefined)?.min_amount; if (p && typeof p === 'object') delete p.type; }, 'parameters'],
  ['schedule cron', (d) => { d.doc.schedule = { timezone: 'UTC' }; }, 'schedule'],
];

const ENUMS: [string, readonly string[], (d: Draft, v: string) => void, string?][] = [
  ['kind', ['source', 'sql', 'python', 'check', 'metric', 'publish'], (d, v) => { const n = nodeAt(d, 2); if (n) n.kind = v; }],
  ['severity', ['error', 'warning'], (d, v) => { const n = byId(d, 'enough'); if (n) n.severity = v; }],
  ['mode', ['replace', 'append', 'upsert', 'fail_if_exists'], (d, v) => { const n = byId(d, 'out_csv'); if (n) n.mode = v; }, 'mode'],
  ['format', ['csv', 'parquet', 'json', 'excel'], (d, v) => { const n = byId(d, 'numbers'); if (n) n.format = v; }, 'source'],
  ['parameter type', ['string', 'integer', 'number', 'boolean', 'date'], (d, v) => { const p = (d.doc.parameters as Record<string, Node> | undefined)?.min_amount; if (p && typeof p === 'object') p.type = v; }, 'parameters'],
  ['catchup', ['skip', 'once', 'each'], (d, v) => { d.doc.schedule = { cron: '0 6 * * *', catchup: v }; }, 'schedule'],
];

const KNOWN_KEYS = new Set(['name', 'description', 'parameters', 'nodes', 'schedule', 'layout', 'id', 'kind', 'inputs', 'timeout', 'retries', 'code', 'file', 'format', 'sheet', 'connection', 'query', 'severity', 'bounds', 'destination', 'mode', 'key', 'type', 'path', 'table', 'cron', 'timezone', 'paused', 'catchup', 'overlap', 'default', 'lower', 'upper']);

const schemaMistakes: fc.Arbitrary<Mistake>[] = [
  fc.constantFrom(...REQUIRED).map(([what, apply, target]) => mistake(`without ${what}`, 'invalid', apply, target)),
  fc.tuple(fc.constantFrom(...TYPED_FIELDS), anyValue).filter(([[, , kind], v]) => typeOf(v) !== kind).map(([[field, at, ], v]) =>
    mistake(`${field}: ${JSON.stringify(v)}`, 'invalid', (d) => { const t = at(d); if (t) (t[0] as Record<string, unknown>)[t[1]] = v; else d.doc.name = 5; }, TARGET_OF[field])),
  fc.constantFrom(...ENUMS).chain(([field, allowed, apply, target]) => word.filter((w) => !allowed.includes(w)).map((v) => mistake(`${field}: ${JSON.stringify(v)}`, 'invalid', (d) => apply(d, v), target))),
  fc.tuple(lowerWord.filter((k) => !KNOWN_KEYS.has(k)), fc.constantFrom('root', 'node', 'destination', 'schedule', 'parameter')).map(([key, where]) =>
    mistake(`unknown field ${key} in ${where}`, 'invalid', (d) => {
      if (where === 'root') d.doc[key] = 1;
      else if (where === 'node') Object.assign(nodeAt(d, 4) ?? d.doc, { [key]: 1 });
      else if (where === 'destination') Object.assign((byId(d, 'out_csv')?.destination as Node | undefined) ?? d.doc, { [key]: 'x' });
      else if (where === 'schedule') d.doc.schedule = { cron: '0 6 * * *', [key]: true };
      else Object.assign((d.doc.parameters as Record<string, Node> | undefined)?.min_amount ?? d.doc, { [key]: 2 });
    }, ({ destination: 'destination', schedule: 'schedule', parameter: 'parameters' } as Record<string, string>)[where])),
  fc.oneof(word, fc.constant(''), fc.constant('Bad-Id'), fc.constant('9lives')).filter((w) => !/^[a-z_][a-z0-9_]*$/.test(w)).map((id) =>
    mistake(`id ${JSON.stringify(id)}`, 'invalid', (d) => { const n = nodeAt(d, 0); if (n) n.id = id; else d.doc.name = ''; })),
  fc.constantFrom(
    mistake('duplicate id', 'invalid', (d) => { const n = nodeAt(d, 3); if (n) n.id = 'totals'; else d.doc.name = ''; }),
    mistake('input from an unknown node', 'invalid', (d) => { const n = nodeAt(d, 1); if (n) n.inputs = ['nowhere']; else d.doc.name = ''; }),
    mistake('input from a check', 'invalid', (d) => { const n = byId(d, 'mean_total'); if (n) n.inputs = ['enough']; else d.doc.name = ''; }),
    mistake('a node as its own input', 'invalid', (d) => { const n = byId(d, 'totals'); if (n) n.inputs = ['totals']; else d.doc.name = ''; }),
    mistake('a cycle', 'invalid', (d) => { const n = byId(d, 'totals'); if (n) n.inputs = ['scored']; else d.doc.name = ''; }),
    mistake('a source with neither file nor connection', 'invalid', (d) => { const n = byId(d, 'numbers'); if (n) delete n.file; else d.doc.name = ''; }, 'source'),
    mistake('a connection source without a query', 'invalid', (d) => { const n = byId(d, 'numbers'); if (n) { delete n.file; n.connection = 'warehouse'; } else d.doc.name = ''; }, 'source'),
    mistake('a publish with two inputs', 'invalid', (d) => { const n = byId(d, 'out_csv'); if (n) n.inputs = ['scored', 'totals']; else d.doc.name = ''; }),
    mistake('upsert without a key', 'invalid', (d) => { const n = byId(d, 'out_csv'); if (n) n.mode = 'upsert'; else d.doc.name = ''; }, 'mode'),
    mistake('bounds lower above upper', 'invalid', (d) => { const n = byId(d, 'mean_total'); if (n) n.bounds = { lower: 5, upper: 1 }; else d.doc.name = ''; }),
    mistake('retries 11', 'invalid', (d) => { const n = nodeAt(d, 1); if (n) n.retries = 11; else d.doc.name = ''; }),
    mistake('timeout 0', 'invalid', (d) => { const n = nodeAt(d, 2); if (n) n.timeout = 0; else d.doc.name = ''; }),
    mistake('a parameter default of the wrong type', 'invalid', (d) => { d.doc.parameters = { min_amount: { type: 'integer', default: 'many' } }; }, 'parameters'),
    mistake('a parameter name in capitals', 'invalid', (d) => { d.doc.parameters = { MinAmount: { type: 'number' } }; }, 'parameters'),
    mistake('code: a missing file', 'invalid', (d) => { const n = byId(d, 'totals'); if (n) n.code = 'nodes/gone.sql'; else d.doc.name = ''; }, 'totals'),
    mistake('code: a folder', 'invalid', (d) => { const n = byId(d, 'totals'); if (n) n.code = 'nodes'; else d.doc.name = ''; }, 'totals'),
    mistake('code: .py for a sql node', 'invalid', (d) => { const n = byId(d, 'totals'); if (n) n.code = 'nodes/scored.py'; else d.doc.name = ''; }, 'totals'),
    mistake('no code file', 'invalid', (d) => { delete d.files['nodes/enough.sql']; }, 'enough.sql'),
    mistake('NUL in a code path', 'invalid', (d) => { const n = byId(d, 'totals'); if (n) n.code = 'nodes/tot\0als.sql'; else d.doc.name = ''; }, 'totals'),
    mistake('NUL in a source file', 'invalid', (d) => { const n = byId(d, 'numbers'); if (n) n.file = 'data/num\0bers.csv'; else d.doc.name = ''; }, 'source'),
    mistake('NUL in a publish path', 'invalid', (d) => { const dest = byId(d, 'out_csv')?.destination as Node | undefined; if (dest && typeof dest === 'object') dest.path = 'out/a\0b.csv'; else d.doc.name = ''; }, 'destination'),
    mistake('a publish to a folder', 'invalid', (d) => { const dest = byId(d, 'out_csv')?.destination as Node | undefined; if (dest && typeof dest === 'object') dest.path = 'data'; else d.doc.name = ''; }, 'destination'),
    mistake('a publish over workflow.yaml', 'invalid', (d) => { const dest = byId(d, 'out_csv')?.destination as Node | undefined; if (dest && typeof dest === 'object') dest.path = './workflow.yaml'; else d.doc.name = ''; }, 'destination'),
    mistake('an undeclared $param in SQL', 'invalid', (d) => { d.files['nodes/enough.sql'] = 'SELECT count(*) > $min_rows FROM scored'; }, 'enough.sql'),
    mistake('cron 61 * * * *', 'invalid', (d) => { d.doc.schedule = { cron: '61 * * * *' }; }, 'schedule'),
    mistake('time zone Mars/Olympus', 'invalid', (d) => { d.doc.schedule = { cron: '0 6 * * *', timezone: 'Mars/Olympus' }; }, 'schedule'),
  ),
  fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })).map(([cron, tz]) =>
    mistake(`schedule ${JSON.stringify(cron)} in ${JSON.stringify(tz)}`, 'any', (d) => { d.doc.schedule = { cron, timezone: tz }; }, 'schedule')),
  lowerWord.filter((w) => w !== 'min_amount').map((w) =>
    mistake(`$${w} in SQL`, 'invalid', (d) => { d.files['nodes/mean_total.sql'] = `SELECT avg(total) + 0 * $${w} FROM scored -- $ignored\n`; }, 'mean_total')),
];

/** Mistakes that leave the folder valid, but the run fails at a node. */
const runMistakes: fc.Arbitrary<Mistake>[] = [
  fc.constantFrom(
    mistake('an Excel source that is not a workbook', 'fails', (d) => { const n = byId(d, 'numbers'); if (n) n.file = 'data/book.xlsx'; d.files['data/book.xlsx'] = 'id,grp,amount\n1,a,2\n'; }, 'source'),
    mistake('a source file that does not exist', 'fails', (d) => { const n = byId(d, 'numbers'); if (n) n.file = 'data/missing.csv'; }, 'source'),
    mistake('a source file in an unknown format', 'fails', (d) => { const n = byId(d, 'numbers'); if (n) n.file = 'data/numbers.dat'; d.files['data/numbers.dat'] = 'x'; }, 'source'),
    mistake('a destination of an unknown type', 'fails', (d) => { const dest = byId(d, 'out_csv')?.destination as Node | undefined; if (dest) dest.type = 'ftp'; }, 'destination'),
    mistake('run = 5', 'fails', (d) => { d.files['nodes/scored.py'] = 'run = 5\n'; }, 'scored.py'),
    mistake('no run()', 'fails', (d) => { d.files['nodes/scored.py'] = 'def main(totals):\n    return totals\n'; }, 'scored.py'),
    mistake('run() without the input', 'fails', (d) => { d.files['nodes/scored.py'] = 'def run(orders):\n    return orders\n'; }, 'scored.py'),
    mistake('run() with an argument nothing gives', 'fails', (d) => { d.files['nodes/scored.py'] = 'def run(totals, model):\n    return totals\n'; }, 'scored.py'),
    mistake('a DataFrame with no columns', 'fails', (d) => { d.files['nodes/scored.py'] = 'import pandas as pd\n\ndef run(totals):\n    return pd.DataFrame()\n'; }, 'scored.py'),
    mistake('a list instead of a DataFrame', 'fails', (d) => { d.files['nodes/scored.py'] = 'def run(totals):\n    return [1, 2]\n'; }, 'scored.py'),
    mistake('a Python syntax error', 'fails', (d) => { d.files['nodes/scored.py'] = 'def run(totals:\n    return totals\n'; }, 'scored.py'),
    mistake('a huge exception', 'fails', (d) => { d.files['nodes/scored.py'] = 'def run(totals):\n    raise ValueError("x" * 200_000)\n'; }, 'scored.py'),
    mistake('a SQL syntax error', 'fails', (d) => { d.files['nodes/totals.sql'] = 'SELEC grp FROM numbers'; }, 'totals'),
    mistake('an empty SQL file', 'fails', (d) => { d.files['nodes/totals.sql'] = '  \n'; }, 'totals'),
    mistake('a check giving many rows', 'fails', (d) => { d.files['nodes/enough.sql'] = 'SELECT total > 0 FROM scored'; }, 'enough.sql'),
    mistake('a check giving a number', 'fails', (d) => { d.files['nodes/enough.sql'] = 'SELECT count(*) FROM scored'; }, 'enough.sql'),
    mistake('a metric giving two columns', 'fails', (d) => { d.files['nodes/mean_total.sql'] = 'SELECT avg(total), 1 FROM scored'; }, 'mean_total'),
    mistake('a metric giving NULL', 'fails', (d) => { d.files['nodes/mean_total.sql'] = 'SELECT avg(total) FROM scored WHERE false'; }, 'mean_total'),
    mistake('a Python metric giving NaN', 'fails', (d) => { const n = byId(d, 'mean_total'); if (n) n.code = 'nodes/mean_total.py'; d.files['nodes/mean_total.py'] = 'def run(scored):\n    return float("nan")\n'; }, 'mean_total'),
  ),
  fc.constantFrom('snowflake', 'google_sheets', 'bigquery', 'postgres', 'mysql').map((type) =>
    mistake(`a ${type} destination naming no saved connection`, 'fails', (d) => { const n = byId(d, 'out_csv'); if (n) n.destination = { type, connection: 'nope', table: 't' }; }, 'destination')),
  fc.constant(mistake('a source naming no saved connection', 'fails', (d) => { const n = byId(d, 'numbers'); if (n) { delete n.file; n.connection = 'nope'; n.query = 'SELECT 1 AS id'; } }, 'source')),
];

/** Whole-file mistakes: they replace workflow.yaml's text, so they come alone. */
const textMistakes: fc.Arbitrary<Mistake> = fc.oneof(
  fc.nat({ max: 400 }).map((cut) => mistake(`workflow.yaml cut at ${cut}`, 'any', (d) => { d.text = YAML.stringify(d.doc).slice(0, cut); })),
  fc.tuple(fc.nat({ max: 400 }), fc.constantFrom('{', ']', ': :', '\t', '"', '- [', '&a *b')).map(([at, junk]) =>
    mistake(`${JSON.stringify(junk)} at ${at}`, 'any', (d) => { const t = YAML.stringify(d.doc); d.text = t.slice(0, at) + junk + t.slice(at); })),
  fc.constantFrom('', '# nothing\n', '- a\n- b\n', '42\n', 'null\n', 'name: [unclosed\n').map((text) => mistake(`workflow.yaml ${JSON.stringify(text)}`, 'invalid', (d) => { d.text = text; })),
);

/**
 * A workflow without nodes is allowed while it is being built (validate accepts it; a run
 * is refused in words). These come alone: the other mistakes need the nodes they change.
 */
const emptyMistakes: fc.Arbitrary<Mistake> = fc.constantFrom(
  mistake('no nodes', 'any', (d) => { d.doc.nodes = []; }),
  mistake('without nodes', 'any', (d) => { delete d.doc.nodes; }),
);

function folderOf(mistakes: Mistake[]): BrokenFolder {
  const draft = baseDraft();
  mistakes = mistakes.filter((m, i) => !m.target || !mistakes.slice(i + 1).some((later) => later.target === m.target));
  for (const m of mistakes) m.apply(draft);
  const outcomes = new Set(mistakes.map((m) => m.outcome));
  const outcome: Outcome = outcomes.has('invalid') ? 'invalid' : outcomes.has('any') ? 'any' : 'fails';
  // fast-check prints a counterexample by its mistakes, not by its functions
  return Object.assign({ draft, mistakes, outcome }, { [fc.toStringMethod]: () => mistakes.map((m) => m.label).join(' + ') });
}

/** Any broken folder: mostly one to three mistakes of any kind, sometimes a broken workflow.yaml or one without nodes. */
export const brokenFolders: fc.Arbitrary<BrokenFolder> = fc.oneof(
  { arbitrary: fc.array(fc.oneof(...schemaMistakes, ...runMistakes), { minLength: 1, maxLength: 3 }), weight: 5 },
  { arbitrary: fc.tuple(fc.oneof(textMistakes, emptyMistakes)), weight: 1 },
).map(folderOf);

/** Valid folders whose run fails: only mistakes that show at run time. */
export const failingFolders: fc.Arbitrary<BrokenFolder> = fc.array(fc.oneof(...runMistakes), { minLength: 1, maxLength: 2 }).map(folderOf);

/** Writes the folder under the test's temp root. */
export function writeFolder(d: Draft, label = 'fuzz'): string {
  const dir = path.join(tempHome(label), 'workflow');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'workflow.yaml'), d.text ?? YAML.stringify(d.doc));
  for (const [rel, text] of Object.entries(d.files)) {
    const abs = path.join(dir, rel);
    if (text === null) fs.mkdirSync(abs, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, text);
    }
  }
  return dir;
}

export const describeMistakes = (b: BrokenFolder) => b.mistakes.map((m) => m.label).join(' + ');
export { NODE_COUNT };
