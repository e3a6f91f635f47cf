// Switching a publish's destination type proposes a destination of that type.
import { describe, expect, it } from 'vitest';
import { switchDestination } from './graph-doc.ts';

describe('switching a publish destination', () => {
  it('gives a file path the new extension and a database a table', () => {
    expect(switchDestination({ type: 'csv', path: 'out/x.csv' }, 'sqlite', 'x')).toEqual({ type: 'sqlite', path: 'out/x.sqlite', table: 'x' });
    expect(switchDestination({ type: 'sqlite', path: 'out/x.sqlite', table: 'prices' }, 'parquet', 'x')).toEqual({ type: 'parquet', path: 'out/x.parquet' });
    expect(switchDestination({ type: 'csv', path: 'out/x.csv' }, 'excel', 'x')).toEqual({ type: 'excel', path: 'out/x.xlsx', sheet: 'x' });
  });

  it('drops the path for a server and keeps a table already named', () => {
    expect(switchDestination({ type: 'duckdb', path: 'out/w.duckdb', table: 'scores' }, 'postgres', 'x')).toEqual({ type: 'postgres', table: 'scores' });
    expect(switchDestination({ type: 'postgres', table: 't', connection: 'wh' }, 'mysql', 'x')).toEqual({ type: 'mysql', table: 't', connection: 'wh' });
  });
});
