/**
 * The timelines database, shared by every replica. Times are milliseconds since the epoch.
 * Comments (in_reply_to set) stay out of the timeline indexes; the partial indexes keep
 * every timeline read an index range scan.
 */
export const TIMELINES_TABLES = `
CREATE TABLE IF NOT EXISTS posts (
  id          INTEGER PRIMARY KEY,
  username    TEXT NOT NULL,
  message     TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  edited_at   INTEGER,
  repost_of   INTEGER REFERENCES posts(id) ON DELETE CASCADE,
  in_reply_to INTEGER REFERENCES posts(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS likes (
  post_id    INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  username   TEXT NOT NULL COLLATE NOCASE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (post_id, username)
) WITHOUT ROWID;
`;

/** Created after a bulk import, which is much faster than keeping them up to date row by row. */
export const TIMELINES_INDEXES = `
CREATE INDEX IF NOT EXISTS posts_public_timeline ON posts(created_at DESC, id DESC) WHERE in_reply_to IS NULL;
CREATE INDEX IF NOT EXISTS posts_user_timeline ON posts(username COLLATE NOCASE, created_at DESC, id DESC) WHERE in_reply_to IS NULL;
CREATE INDEX IF NOT EXISTS posts_comments ON posts(in_reply_to, created_at, id) WHERE in_reply_to IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS posts_one_repost_per_user ON posts(repost_of, username COLLATE NOCASE) WHERE repost_of IS NOT NULL;
`;

export const TIMELINES_SCHEMA = TIMELINES_TABLES + TIMELINES_INDEXES;
