import { Migration } from '@app/database';
import { CONSUMER_INCARNATION_SQL, CONSUMER_POSITIONS_POSTGRES_SQL } from '@app/events';

/**
 * The monitor's PostgreSQL schema: the SQLite schema's newest shape (monitor.migrations.ts)
 * in PostgreSQL's terms, one migration per later change. Usernames compare by lower(), as
 * SQLite's NOCASE does.
 */
export const MONITOR_POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    up: `
      ${CONSUMER_POSITIONS_POSTGRES_SQL}
      CREATE TABLE users (
        id       BIGINT PRIMARY KEY,
        username TEXT COLLATE "C" NOT NULL,
        role     TEXT NOT NULL DEFAULT 'user'
      );
      CREATE UNIQUE INDEX users_username ON users(lower(username));
      CREATE TABLE follows (
        follower_id BIGINT NOT NULL,
        followee_id BIGINT NOT NULL,
        PRIMARY KEY (follower_id, followee_id)
      );
      CREATE TABLE posts (
        id          BIGINT PRIMARY KEY,
        username    TEXT COLLATE "C" NOT NULL,
        message     TEXT NOT NULL,
        created_at  BIGINT NOT NULL,
        edited_at   BIGINT,
        repost_of   BIGINT REFERENCES posts(id) ON DELETE CASCADE,
        in_reply_to BIGINT REFERENCES posts(id) ON DELETE CASCADE,
        likes       INTEGER NOT NULL DEFAULT 0,
        reposts     INTEGER NOT NULL DEFAULT 0,
        replies     INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX posts_by_time ON posts(created_at);
      CREATE INDEX posts_by_repost ON posts(repost_of) WHERE repost_of IS NOT NULL;
      CREATE INDEX posts_by_parent ON posts(in_reply_to) WHERE in_reply_to IS NOT NULL;
      CREATE TABLE likes (
        post_id  BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        username TEXT COLLATE "C" NOT NULL
      );
      CREATE UNIQUE INDEX likes_one_per_user ON likes(post_id, lower(username));
      CREATE TABLE activity (
        post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        kind    TEXT NOT NULL CHECK (kind IN ('like', 'repost', 'comment')),
        actor   TEXT COLLATE "C" NOT NULL,
        at      BIGINT NOT NULL,
        source  BIGINT REFERENCES posts(id) ON DELETE CASCADE
      );
      CREATE INDEX activity_by_time ON activity(at, post_id);
      CREATE INDEX activity_by_post ON activity(post_id, kind, lower(actor));
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
    up: `
      CREATE TABLE posts_per_hour (
        hour     BIGINT NOT NULL,
        user_key TEXT COLLATE "C" NOT NULL,
        username TEXT COLLATE "C" NOT NULL,
        posts    INTEGER NOT NULL,
        PRIMARY KEY (hour, user_key)
      );
      INSERT INTO posts_per_hour (hour, user_key, username, posts)
        SELECT created_at / 3600000, lower(username), MIN(username), COUNT(*) FROM posts GROUP BY 1, 2;
      CREATE FUNCTION posts_per_hour_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO posts_per_hour (hour, user_key, username, posts) VALUES (NEW.created_at / 3600000, lower(NEW.username), NEW.username, 1)
            ON CONFLICT (hour, user_key) DO UPDATE SET posts = posts_per_hour.posts + 1, username = LEAST(posts_per_hour.username, EXCLUDED.username);
        ELSE
          DELETE FROM posts_per_hour WHERE hour = OLD.created_at / 3600000 AND user_key = lower(OLD.username) AND posts = 1;
          UPDATE posts_per_hour SET posts = posts - 1 WHERE hour = OLD.created_at / 3600000 AND user_key = lower(OLD.username);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER posts_per_hour_counted AFTER INSERT OR DELETE ON posts FOR EACH ROW EXECUTE FUNCTION posts_per_hour_count();
    `,
  },
];
