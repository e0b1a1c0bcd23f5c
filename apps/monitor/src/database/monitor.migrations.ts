import { Migration } from '@app/database';
import { CONSUMER_INCARNATION_SQL, CONSUMER_POSITIONS_SQL } from '@app/events';

/**
 * The monitor's own database: what the users and timelines streams told it, nothing read
 * from another service. Times are milliseconds since the epoch. `activity` is what a post
 * received (a like, a repost, a comment) and when, for trending windows; deleting a post
 * deletes, by cascade, its comments, reposts, likes and the activity they made.
 */
export const MONITOR_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    up: `
      ${CONSUMER_POSITIONS_SQL}
      CREATE TABLE users (
        id         INTEGER PRIMARY KEY,
        username   TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role       TEXT NOT NULL DEFAULT 'user'
      );
      CREATE TABLE follows (
        follower_id INTEGER NOT NULL,
        followee_id INTEGER NOT NULL,
        PRIMARY KEY (follower_id, followee_id)
      ) WITHOUT ROWID;
      CREATE TABLE posts (
        id          INTEGER PRIMARY KEY,
        username    TEXT NOT NULL COLLATE NOCASE,
        message     TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        edited_at   INTEGER,
        repost_of   INTEGER REFERENCES posts(id) ON DELETE CASCADE,
        in_reply_to INTEGER REFERENCES posts(id) ON DELETE CASCADE,
        likes       INTEGER NOT NULL DEFAULT 0,
        reposts     INTEGER NOT NULL DEFAULT 0,
        replies     INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX posts_by_time ON posts(created_at);
      CREATE INDEX posts_by_repost ON posts(repost_of) WHERE repost_of IS NOT NULL;
      CREATE INDEX posts_by_parent ON posts(in_reply_to) WHERE in_reply_to IS NOT NULL;
      CREATE TABLE likes (
        post_id  INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        username TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (post_id, username)
      ) WITHOUT ROWID;
      CREATE TABLE activity (
        post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        kind    TEXT NOT NULL CHECK (kind IN ('like', 'repost', 'comment')),
        actor   TEXT NOT NULL COLLATE NOCASE,
        at      INTEGER NOT NULL,
        source  INTEGER REFERENCES posts(id) ON DELETE CASCADE
      );
      CREATE INDEX activity_by_time ON activity(at, post_id);
      CREATE INDEX activity_by_post ON activity(post_id, kind, actor);
      CREATE INDEX activity_by_source ON activity(source) WHERE source IS NOT NULL;
    `,
  },
  {
    version: 2,
    name: 'events: the history of each consumer position',
    up: CONSUMER_INCARNATION_SQL,
  },
  {
    version: 3,
    name: 'users: registration time and bio, for the accounts of trending statuses',
    // Users seen before this migration show the epoch as their registration time.
    up: `
      ALTER TABLE users ADD COLUMN created_at TEXT NOT NULL DEFAULT '1970-01-01T00:00:00.000Z';
      ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
    `,
  },
  {
    version: 4,
    name: 'posts per author per hour, for the most active authors of the last day',
    // Kept by triggers so every writer of posts (the consumer, init-db) counts alike; the
    // last day's authors are then summed from 24 rows per author instead of every post of it.
    up: `
      CREATE TABLE posts_per_hour (
        hour     INTEGER NOT NULL,
        username TEXT NOT NULL COLLATE NOCASE,
        posts    INTEGER NOT NULL,
        PRIMARY KEY (hour, username)
      ) WITHOUT ROWID;
      INSERT INTO posts_per_hour (hour, username, posts)
        SELECT created_at / 3600000, MIN(username), COUNT(*) FROM posts GROUP BY created_at / 3600000, username;
      CREATE TRIGGER posts_per_hour_counted AFTER INSERT ON posts BEGIN
        INSERT INTO posts_per_hour (hour, username, posts) VALUES (NEW.created_at / 3600000, NEW.username, 1)
          ON CONFLICT (hour, username) DO UPDATE SET posts = posts + 1;
      END;
      CREATE TRIGGER posts_per_hour_uncounted AFTER DELETE ON posts BEGIN
        DELETE FROM posts_per_hour WHERE hour = OLD.created_at / 3600000 AND username = OLD.username AND posts = 1;
        UPDATE posts_per_hour SET posts = posts - 1 WHERE hour = OLD.created_at / 3600000 AND username = OLD.username;
      END;
    `,
  },
];
