// Named connections to databases, warehouses and spreadsheets. Settings a user may see
// (host, database, account) sit in `config` as JSON; every secret (password, private key,
// service-account JSON, token) sits in `secrets`, each value sealed by the SecretBox, so
// the database file never holds one in plain text.
export const connections = `
CREATE TABLE connections (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE,
  type            TEXT NOT NULL,
  config          TEXT NOT NULL DEFAULT '{}',
  secrets         TEXT NOT NULL DEFAULT '{}',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  tested_at       INTEGER,
  test_ok         INTEGER,
  test_message    TEXT
);
`;
