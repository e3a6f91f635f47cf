"""Aqueduct's portable runtime: runs an exported workflow bundle with the local runner's
semantics (DuckDB for SQL and file sources, pandas for Python nodes, the same check,
metric and publish rules and ordering) on any engine, and writes a run record the app
imports into its history. Python 3.9+; duckdb, pandas, pyarrow (psycopg for Postgres)."""

RUNTIME_VERSION = "1"
RECORD_FORMAT = "aqueduct-run-record/1"
BUNDLE_FORMAT = "aqueduct-bundle/1"
