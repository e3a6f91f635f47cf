// Small workflows for the engine tests, each covering what the churn example does not:
// parameters, warnings (a failing warning check and a metric out of bounds), failures
// (a Python error, a failing error check holding publishes back, retries), and column
// types beyond the plain ones (dates, timestamps, decimals, lists, Excel sources).
import { numbersCsv } from '../helpers/workflows.ts';

export interface Fixture {
  label: string;
  definition: Record<string, unknown>;
  files: Record<string, string>;
  params?: Record<string, string | number>;
}

export const WARNINGS_AND_PARAMS: Fixture = {
  label: 'warn-params',
  params: { min_amount: 6, factor: 2.5, label: 'big' },
  definition: {
    parameters: {
      min_amount: { type: 'number', default: 0 },
      factor: { type: 'number', default: 1 },
      label: { type: 'string', default: 'x' },
      day: { type: 'date', default: '2024-03-01' },
    },
    nodes: [
      { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
      { id: 'filtered', kind: 'sql', inputs: ['numbers'] },
      { id: 'scaled', kind: 'python', inputs: ['filtered'] },
      { id: 'by_group', kind: 'sql', inputs: ['scaled'] },
      { id: 'all_groups_present', kind: 'check', inputs: ['by_group'], severity: 'warning' },
      { id: 'total', kind: 'metric', inputs: ['scaled'], bounds: { upper: 100 }, severity: 'warning' },
      { id: 'row_count', kind: 'metric', inputs: ['scaled'], bounds: { lower: 1 } },
      { id: 'mean_scaled', kind: 'metric', inputs: ['scaled'] },
      { id: 'to_parquet', kind: 'publish', inputs: ['by_group'], destination: { type: 'parquet', path: 'out/groups.parquet' } },
      { id: 'to_json', kind: 'publish', inputs: ['scaled'], destination: { type: 'json', path: 'out/scaled.json' } },
      { id: 'to_sqlite', kind: 'publish', inputs: ['scaled'], destination: { type: 'sqlite', path: 'out/db.sqlite', table: 'scaled' }, mode: 'replace', key: ['id'] },
    ],
  },
  files: {
    'data/numbers.csv': numbersCsv(30),
    'nodes/filtered.sql': 'SELECT *, $label AS label, CAST($day AS DATE) AS day FROM numbers WHERE amount >= $min_amount ORDER BY id',
    'nodes/scaled.py': [
      'import pandas as pd',
      '',
      'def run(filtered: pd.DataFrame, factor: float) -> pd.DataFrame:',
      '    print(f"scaling {len(filtered)} rows by {factor}")',
      '    out = filtered.copy()',
      '    out["scaled"] = out["amount"] * factor',
      '    out["is_even"] = out["id"] % 2 == 0',
      '    return out',
      '',
    ].join('\n'),
    'nodes/by_group.sql': 'SELECT grp, count(*) AS n, sum(scaled) AS total, list(id ORDER BY id) AS ids, avg(scaled)::DECIMAL(12,3) AS mean FROM scaled GROUP BY grp ORDER BY grp',
    'nodes/all_groups_present.sql': "SELECT count(*) = 4 FROM by_group",
    'nodes/total.sql': 'SELECT sum(scaled) FROM scaled',
    'nodes/row_count.sql': 'SELECT count(*) FROM scaled',
    'nodes/mean_scaled.py': 'def run(scaled):\n    return float(scaled["scaled"].mean())\n',
  },
};

export const FAILURES: Fixture = {
  label: 'failures',
  definition: {
    nodes: [
      { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
      { id: 'broken', kind: 'python', inputs: ['numbers'], retries: 1 },
      { id: 'after_broken', kind: 'sql', inputs: ['broken'] },
      { id: 'stamped', kind: 'sql', inputs: ['numbers'] },
      { id: 'no_big_amounts', kind: 'check', inputs: ['stamped'], severity: 'error' },
      { id: 'not_a_bool', kind: 'check', inputs: ['stamped'] },
      { id: 'bad_sql', kind: 'sql', inputs: ['numbers'] },
      { id: 'count', kind: 'metric', inputs: ['stamped'], bounds: { lower: 1000 } },
      { id: 'slow', kind: 'python', inputs: ['numbers'], timeout: 1 },
      { id: 'publish_csv', kind: 'publish', inputs: ['stamped'], destination: { type: 'csv', path: 'out/stamped.csv' } },
    ],
  },
  files: {
    'data/numbers.csv': numbersCsv(12),
    'nodes/broken.py': 'def run(numbers):\n    print("about to fail")\n    return numbers["nope"]\n',
    'nodes/after_broken.sql': 'SELECT * FROM broken',
    'nodes/stamped.sql': "SELECT id, amount, TIMESTAMP '2024-01-02 03:04:05' + INTERVAL (id) HOUR AS at, amount::DECIMAL(10,2) AS money FROM numbers",
    'nodes/no_big_amounts.sql': 'SELECT max(amount) < 10 FROM stamped',
    'nodes/not_a_bool.sql': 'SELECT count(*) FROM stamped',
    'nodes/bad_sql.sql': 'SELECT missing_column FROM numbers',
    'nodes/count.sql': 'SELECT count(*) FROM stamped',
    'nodes/slow.py': 'import time\n\ndef run(numbers):\n    time.sleep(4)\n    return numbers\n',
  },
};

/** Results of the wrong shape or value: both engines fail them with the same sentence. */
export const BAD_RESULTS: Fixture = {
  label: 'bad-results',
  definition: {
    nodes: [
      { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
      { id: 'py_nan', kind: 'metric', inputs: ['numbers'] },
      { id: 'py_none', kind: 'metric', inputs: ['numbers'], severity: 'warning' },
      { id: 'sql_inf', kind: 'metric', inputs: ['numbers'] },
      { id: 'sql_null', kind: 'metric', inputs: ['numbers'], bounds: { lower: 0 } },
      { id: 'many_rows', kind: 'check', inputs: ['numbers'] },
      { id: 'two_columns', kind: 'metric', inputs: ['numbers'] },
      { id: 'no_columns', kind: 'python', inputs: ['numbers'] },
      { id: 'not_callable', kind: 'python', inputs: ['numbers'] },
      { id: 'loud', kind: 'python', inputs: ['numbers'] },
      { id: 'publish_csv', kind: 'publish', inputs: ['numbers'], destination: { type: 'csv', path: 'out/numbers.csv' } },
    ],
  },
  files: {
    'data/numbers.csv': numbersCsv(6),
    'nodes/py_nan.py': 'def run(numbers):\n    return float("nan")\n',
    'nodes/py_none.py': 'def run(numbers):\n    return None\n',
    'nodes/sql_inf.sql': "SELECT 'inf'::DOUBLE",
    'nodes/sql_null.sql': 'SELECT avg(amount) FROM numbers WHERE id > 100',
    'nodes/many_rows.sql': 'SELECT amount > 0 FROM numbers',
    'nodes/two_columns.sql': 'SELECT sum(amount), count(*) FROM numbers',
    'nodes/no_columns.py': 'import pandas as pd\n\ndef run(numbers):\n    return pd.DataFrame()\n',
    'nodes/not_callable.py': 'run = "not a function"\n',
    'nodes/loud.py': 'def run(numbers):\n    raise ValueError("HEAD" + "x" * 100_000 + "TAIL")\n',
  },
};

/**
 * Monitoring: checks without code (every template, history-based ones included), checks
 * reading metrics in SQL and Python, a metric with a warning band and a $parameter bound,
 * bounds learned from history, and the built-in parameters (used so that their values,
 * which differ between two runs, do not change the outcome).
 */
export const MONITORING: Fixture = {
  label: 'monitoring',
  params: { ceiling: 2000 },
  definition: {
    parameters: { ceiling: { type: 'number', default: 500 } },
    nodes: [
      { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
      { id: 'orders', kind: 'sql', inputs: ['numbers'] },
      { id: 'ids_unique', kind: 'check', inputs: ['orders'], template: { type: 'unique', columns: ['id'] } },
      { id: 'email_present', kind: 'check', inputs: ['orders'], severity: 'warning', template: { type: 'not_null', columns: ['email'] } },
      { id: 'grp_known', kind: 'check', inputs: ['orders'], severity: 'warning', template: { type: 'accepted_values', column: 'grp', values: ['a', 'b'] } },
      { id: 'amount_in_ceiling', kind: 'check', inputs: ['orders'], template: { type: 'range', column: 'amount', min: 0, max: '$ceiling' } },
      { id: 'amount_small', kind: 'check', inputs: ['orders'], severity: 'warning', template: { type: 'range', column: 'amount', max: 20 } },
      { id: 'email_shape', kind: 'check', inputs: ['orders'], severity: 'warning', template: { type: 'regex', column: 'email', pattern: 'x[0-9]+@ex\\.com' } },
      { id: 'fresh', kind: 'check', inputs: ['orders'], severity: 'warning', template: { type: 'freshness', column: 'at', max_age_hours: 1 } },
      { id: 'count_steady', kind: 'check', inputs: ['orders'], severity: 'warning', template: { type: 'row_count', max_change_percent: 10, runs: 3 } },
      { id: 'amount_drift', kind: 'check', inputs: ['orders'], severity: 'warning', template: { type: 'drift', column: 'amount', runs: 5 } },
      { id: 'same_columns', kind: 'check', inputs: ['orders'], severity: 'warning', template: { type: 'schema_unchanged' } },
      { id: 'total', kind: 'metric', inputs: ['orders'], bounds: { lower: 0, upper: '$ceiling' }, warn_bounds: { upper: 100 } },
      { id: 'row_count', kind: 'metric', inputs: ['orders'], severity: 'warning', bounds: { history: { runs: 5, k: 2, min_runs: 2 } } },
      { id: 'average_ok', kind: 'check', inputs: ['total', 'row_count'] },
      { id: 'py_average_ok', kind: 'check', inputs: ['total', 'orders'], severity: 'warning' },
      { id: 'stamps_ok', kind: 'check', inputs: ['orders'] },
      { id: 'py_stamps_ok', kind: 'check', inputs: ['orders'] },
      { id: 'to_csv', kind: 'publish', inputs: ['orders'], destination: { type: 'csv', path: 'out/orders.csv' } },
    ],
  },
  files: {
    'data/numbers.csv': numbersCsv(30),
    'nodes/orders.sql': "SELECT id, grp, amount, CASE WHEN id % 7 = 0 THEN NULL ELSE 'x' || id || '@ex.com' END AS email, TIMESTAMP '2024-01-02 03:04:05' + INTERVAL (id) HOUR AS at FROM numbers ORDER BY id",
    'nodes/total.sql': 'SELECT sum(amount) FROM orders',
    'nodes/row_count.sql': 'SELECT count(*) FROM orders',
    'nodes/average_ok.sql': 'SELECT $total / $row_count BETWEEN 20 AND 40',
    'nodes/py_average_ok.py': 'def run(orders, total):\n    print(f"total {total}")\n    return total / len(orders) > 100\n',
    'nodes/stamps_ok.sql': "SELECT length($today) = 10 AND $slot_time = $run_time AND CAST($run_time AS TIMESTAMPTZ) > TIMESTAMPTZ '2020-01-01 00:00:00+00'",
    'nodes/py_stamps_ok.py': 'def run(orders, today, run_time, slot_time):\n    return len(today) == 10 and slot_time == run_time and run_time.endswith("Z")\n',
  },
};
