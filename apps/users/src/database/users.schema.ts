/** The users database; every statement is idempotent and runs at each start and in the init script. */
export const USERS_TABLES = `
CREATE TABLE IF NOT EXISTS users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  bio           TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS follows (
  follower_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  followee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (follower_id, followee_id),
  CHECK (follower_id <> followee_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS login_failures (
  key               TEXT PRIMARY KEY,
  window_started_at INTEGER NOT NULL,
  failures          INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Created after a bulk import, which is much faster than keeping them up to date row by row. */
export const USERS_INDEXES = `
CREATE INDEX IF NOT EXISTS follows_by_followee ON follows(followee_id, follower_id);
`;

export const USERS_SCHEMA = USERS_TABLES + USERS_INDEXES;
