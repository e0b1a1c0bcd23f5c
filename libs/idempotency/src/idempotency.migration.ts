/**
 * The idempotency table, the same in every service's database (SQLite, then PostgreSQL): each service lists it
 * among its own migrations, under its own version number.
 */
export const IDEMPOTENCY_RECORDS_SQL = `
  CREATE TABLE idempotency_records (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INTEGER,
    content_type TEXT,
    location     TEXT,
    body         TEXT,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
  ) WITHOUT ROWID;
  CREATE INDEX idempotency_records_by_age ON idempotency_records(created_at);
`;

export const IDEMPOTENCY_RECORDS_POSTGRES_SQL = `
  CREATE TABLE idempotency_records (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INTEGER,
    content_type TEXT,
    location     TEXT,
    body         TEXT,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
  );
  CREATE INDEX idempotency_records_by_age ON idempotency_records(created_at);
`;
