import { initialisedMarkerSql, Migration } from '@app/database';
import { CONSUMER_INCARNATION_SQL, CONSUMER_POSITIONS_SQL, EVENT_LOG_SQL, OUTBOX_SQL } from '@app/events';
import { IDEMPOTENCY_RECORDS_SQL } from '@app/idempotency';

/**
 * Sets the stored counters from the rows they count, on a table whose counters are all 0
 * (a migration adding them, init-db after a bulk load): only posts that have something to
 * count are written, one grouped pass per counter.
 */
export const RECOUNT_POSTS_SQL = `
  UPDATE posts SET likes = c.n FROM (SELECT post_id AS id, COUNT(*) AS n FROM likes GROUP BY post_id) c WHERE posts.id = c.id;
  UPDATE posts SET reposts = c.n FROM (SELECT repost_of AS id, COUNT(*) AS n FROM posts WHERE repost_of IS NOT NULL GROUP BY repost_of) c WHERE posts.id = c.id;
  UPDATE posts SET replies = c.n FROM (SELECT in_reply_to AS id, COUNT(*) AS n FROM posts WHERE in_reply_to IS NOT NULL GROUP BY in_reply_to) c WHERE posts.id = c.id;
`;
/**
 * The timelines database's SQLite schema, one migration per change (see docs/development.md,
 * "Changing a schema"). Times are milliseconds since the epoch. Comments (in_reply_to set)
 * stay out of the timeline indexes; the partial indexes keep every timeline read an index
 * range scan.
 */
export const TIMELINES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    // IF NOT EXISTS: databases made before migrations existed already have these tables.
    up: `
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
      CREATE INDEX IF NOT EXISTS posts_public_timeline ON posts(created_at DESC, id DESC) WHERE in_reply_to IS NULL;
      CREATE INDEX IF NOT EXISTS posts_user_timeline ON posts(username COLLATE NOCASE, created_at DESC, id DESC) WHERE in_reply_to IS NULL;
      CREATE INDEX IF NOT EXISTS posts_comments ON posts(in_reply_to, created_at, id) WHERE in_reply_to IS NOT NULL;
      CREATE UNIQUE INDEX IF NOT EXISTS posts_one_repost_per_user ON posts(repost_of, username COLLATE NOCASE) WHERE repost_of IS NOT NULL;
    `,
  },
  {
    version: 2,
    name: 'posts: ids never reused, usernames compared without case',
    // SQLite gives a new row the largest rowid + 1, so deleting the newest post handed its id
    // to the next one; AUTOINCREMENT never reuses an id. Both changes need a table rebuild.
    up: `
      CREATE TABLE posts_rebuilt (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        username    TEXT NOT NULL COLLATE NOCASE,
        message     TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        edited_at   INTEGER,
        repost_of   INTEGER REFERENCES posts(id) ON DELETE CASCADE,
        in_reply_to INTEGER REFERENCES posts(id) ON DELETE CASCADE
      );
      INSERT INTO posts_rebuilt (id, username, message, created_at, edited_at, repost_of, in_reply_to)
        SELECT id, username, message, created_at, edited_at, repost_of, in_reply_to FROM posts;
      DROP TABLE posts;
      ALTER TABLE posts_rebuilt RENAME TO posts;
      CREATE INDEX posts_public_timeline ON posts(created_at DESC, id DESC) WHERE in_reply_to IS NULL;
      CREATE INDEX posts_user_timeline ON posts(username, created_at DESC, id DESC) WHERE in_reply_to IS NULL;
      CREATE INDEX posts_comments ON posts(in_reply_to, created_at, id) WHERE in_reply_to IS NOT NULL;
      CREATE UNIQUE INDEX posts_one_repost_per_user ON posts(repost_of, username) WHERE repost_of IS NOT NULL;
    `,
  },
  {
    version: 3,
    name: 'idempotency records',
    up: IDEMPOTENCY_RECORDS_SQL,
  },
  {
    version: 4,
    name: 'posts: stored like, repost and reply counters',
    // Kept by the repository's writes, in the transaction that changes what they count, so a
    // page reads three columns instead of three correlated COUNT(*) per post.
    up: `
      ALTER TABLE posts ADD COLUMN likes INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE posts ADD COLUMN reposts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE posts ADD COLUMN replies INTEGER NOT NULL DEFAULT 0;
      ${RECOUNT_POSTS_SQL}
    `,
  },
  {
    version: 5,
    name: 'events: outbox, consumer positions, the read model of users',
    // accounts and account_follows are the users service's facts as its events told them:
    // who exists, with which role and credentials version, and who follows whom.
    up: `
      ${OUTBOX_SQL}
      ${CONSUMER_POSITIONS_SQL}
      CREATE TABLE accounts (
        id                  INTEGER PRIMARY KEY,
        username            TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role                TEXT NOT NULL DEFAULT 'user',
        credentials_version INTEGER NOT NULL DEFAULT 1
      );
      CREATE TABLE account_follows (
        follower_id INTEGER NOT NULL,
        followee_id INTEGER NOT NULL,
        PRIMARY KEY (follower_id, followee_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'posts: the timeline index carries the author',
    // The home timeline's window scan filters the newest entries by author: with the author in
    // the index entry, only the rows of a page are read from the table (a home page 25% faster).
    up: `
      DROP INDEX posts_public_timeline;
      CREATE INDEX posts_public_timeline ON posts(created_at DESC, id DESC, username) WHERE in_reply_to IS NULL;
    `,
  },
  {
    version: 7,
    name: 'events: the history of the outbox and of each consumer position; initialised by init-db',
    up: `
      ${EVENT_LOG_SQL}
      ${CONSUMER_INCARNATION_SQL}
      ${initialisedMarkerSql('posts')}
    `,
  },
  {
    version: 8,
    name: "Mastodon API: accounts as statuses show them, authors' post counts, the OAuth tokens users issued",
    // Authors' counts are kept by triggers, so every path that writes posts (the API, the
    // importers, a cascade that deletes comments and reposts) keeps them, in its transaction.
    // Accounts seen before this migration show the epoch as their registration time.
    up: `
      ALTER TABLE accounts ADD COLUMN created_at TEXT NOT NULL DEFAULT '1970-01-01T00:00:00.000Z';
      ALTER TABLE accounts ADD COLUMN bio TEXT NOT NULL DEFAULT '';
      ALTER TABLE accounts ADD COLUMN followers INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE accounts ADD COLUMN following INTEGER NOT NULL DEFAULT 0;
      UPDATE accounts SET
        followers = (SELECT COUNT(*) FROM account_follows WHERE followee_id = accounts.id),
        following = (SELECT COUNT(*) FROM account_follows WHERE follower_id = accounts.id);
      CREATE INDEX account_follows_followee ON account_follows(followee_id, follower_id);
      CREATE INDEX likes_by_user ON likes(username, created_at DESC, post_id DESC);
      CREATE TABLE author_stats (
        username       TEXT PRIMARY KEY COLLATE NOCASE,
        statuses       INTEGER NOT NULL,
        last_status_at INTEGER
      ) WITHOUT ROWID;
      INSERT INTO author_stats (username, statuses, last_status_at) SELECT username, COUNT(*), MAX(created_at) FROM posts GROUP BY username;
      CREATE TRIGGER posts_count_author AFTER INSERT ON posts BEGIN
        INSERT INTO author_stats (username, statuses, last_status_at) VALUES (NEW.username, 1, NEW.created_at)
        ON CONFLICT (username) DO UPDATE SET statuses = statuses + 1, last_status_at = MAX(COALESCE(last_status_at, 0), excluded.last_status_at);
      END;
      CREATE TRIGGER posts_uncount_author AFTER DELETE ON posts BEGIN
        UPDATE author_stats SET statuses = statuses - 1 WHERE username = OLD.username;
      END;
      CREATE TABLE oauth_tokens (
        digest              TEXT PRIMARY KEY,
        token_id            INTEGER NOT NULL,
        user_id             INTEGER,
        app_id              INTEGER NOT NULL,
        scopes              TEXT NOT NULL,
        credentials_version INTEGER
      ) WITHOUT ROWID;
    `,
  },
];
