import { initialisedMarkerSql, Migration } from '@app/database';
import { EVENT_LOG_SQL, OUTBOX_SQL } from '@app/events';
import { IDEMPOTENCY_RECORDS_SQL } from '@app/idempotency';

/** The users database's SQLite schema, one migration per change (see docs/development.md, "Changing a schema"). */
export const USERS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    // IF NOT EXISTS: databases made before migrations existed already have these tables.
    up: `
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
      CREATE INDEX IF NOT EXISTS follows_by_followee ON follows(followee_id, follower_id);
    `,
  },
  {
    version: 2,
    name: 'users: ids never reused',
    up: `
      CREATE TABLE users_rebuilt (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
        email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
        bio           TEXT NOT NULL DEFAULT '',
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL
      );
      INSERT INTO users_rebuilt (id, username, email, bio, password_hash, created_at)
        SELECT id, username, email, bio, password_hash, created_at FROM users;
      DROP TABLE users;
      ALTER TABLE users_rebuilt RENAME TO users;
    `,
  },
  {
    version: 3,
    name: 'users.role',
    up: `ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin'));`,
  },
  {
    version: 4,
    name: 'idempotency records',
    up: IDEMPOTENCY_RECORDS_SQL,
  },
  {
    version: 5,
    name: 'events: outbox, credentials version',
    // credentials_version counts password changes, so a consumer can tell whether Basic
    // credentials it saw verified are still the current ones without ever seeing a password.
    up: `
      ALTER TABLE users ADD COLUMN credentials_version INTEGER NOT NULL DEFAULT 1;
      ${OUTBOX_SQL}
    `,
  },
  {
    version: 6,
    name: 'events: the history of the outbox; initialised by init-db',
    up: `
      ${EVENT_LOG_SQL}
      ${initialisedMarkerSql('users')}
    `,
  },
  {
    version: 7,
    name: 'oauth: apps, authorization codes, access tokens',
    // Codes, tokens and client secrets are stored only as HMAC digests (credentialDigest, libs/auth): the
    // database alone never yields a credential.
    up: `
      CREATE TABLE oauth_apps (
        id                   INTEGER PRIMARY KEY AUTOINCREMENT,
        name                 TEXT NOT NULL,
        website              TEXT,
        redirect_uris        TEXT NOT NULL,
        scopes               TEXT NOT NULL,
        client_id            TEXT NOT NULL UNIQUE,
        client_secret_digest TEXT NOT NULL,
        created_at           TEXT NOT NULL
      );
      CREATE TABLE oauth_codes (
        code_digest           TEXT PRIMARY KEY,
        app_id                INTEGER NOT NULL REFERENCES oauth_apps(id) ON DELETE CASCADE,
        user_id               INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        redirect_uri          TEXT NOT NULL,
        scopes                TEXT NOT NULL,
        code_challenge        TEXT,
        code_challenge_method TEXT,
        expires_at            TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE oauth_tokens (
        id                  INTEGER PRIMARY KEY AUTOINCREMENT,
        token_digest        TEXT NOT NULL UNIQUE,
        app_id              INTEGER NOT NULL REFERENCES oauth_apps(id) ON DELETE CASCADE,
        user_id             INTEGER REFERENCES users(id) ON DELETE CASCADE,
        scopes              TEXT NOT NULL,
        credentials_version INTEGER,
        created_at          TEXT NOT NULL
      );
    `,
  },
];
