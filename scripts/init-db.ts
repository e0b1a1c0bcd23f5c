/**
 * Builds the users and timelines databases from CSV files.
 *
 *   node dist/scripts/scripts/init-db.js [--data DIR] [--users F] [--followers F] [--posts F]
 *     [--likes F] [--users-db PATH | --users-url postgres://…] [--timelines-db PATH]
 *     [--only users|timelines] [--if-missing]
 *
 * One command is one change: every database it names is built in a temporary file (schema
 * by the services' own migrations, rows in one transaction) and the files are renamed over
 * their targets only when all of them are complete. A bad row leaves every database as it
 * was, and the command exits non-zero naming the file, line and reason. With --users-url
 * (or USERS_DATABASE_URL) the users are imported into an empty PostgreSQL database instead,
 * in one transaction committed only once every SQLite file is complete.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ImportError, Migration, migrate, migratePostgres, PostgresStore, secondaryIndexes, Sqlite } from '@app/database';
import type { PoolClient } from 'pg';
import { USERS_MIGRATIONS } from '../apps/users/src/database/users.migrations';
import { USERS_POSTGRES_MIGRATIONS } from '../apps/users/src/database/users.postgres-migrations';
import { importUsers, importUsersIntoPostgres } from '../apps/users/src/import/users-importer';
import { RECOUNT_POSTS_SQL, TIMELINES_MIGRATIONS } from '../apps/timelines/src/database/timelines.migrations';
import { importPosts } from '../apps/timelines/src/import/posts-importer';

interface Build {
  target: string;
  migrations: readonly Migration[];
  /** The tables the load fills: their indexes are dropped first and built once at the end. */
  tables: string[];
  load: (db: Sqlite) => Promise<string>;
  finish?: (db: Sqlite) => void;
}

class UsageError extends Error {}

/**
 * Imported rows are events too: the outbox of a new database starts with one event per
 * imported account, follow, post and like, so a consumer that starts on it (timelines' read
 * model, the monitor) reaches the imported state like any later one. No email, no hash.
 */
const ISO = (ms: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${ms} / 1000.0, 'unixepoch')`;
const IMPORTED_USER_EVENTS_SQL = `
  INSERT INTO outbox (type, occurred_at, data)
    SELECT 'user.registered', created_at, json_object('id', id, 'username', username, 'bio', bio, 'role', role,
      'credentialsVersion', credentials_version, 'createdAt', created_at) FROM users ORDER BY id;
  INSERT INTO outbox (type, occurred_at, data)
    SELECT 'user.followed', f.created_at, json_object('followerId', f.follower_id, 'follower', a.username,
      'followeeId', f.followee_id, 'followee', b.username)
    FROM follows f JOIN users a ON a.id = f.follower_id JOIN users b ON b.id = f.followee_id ORDER BY f.follower_id, f.followee_id;
`;
const IMPORTED_USER_EVENTS_POSTGRES_SQL = `
  INSERT INTO outbox (type, occurred_at, data)
    SELECT 'user.registered', created_at, json_build_object('id', id, 'username', username, 'bio', bio, 'role', role,
      'credentialsVersion', credentials_version, 'createdAt', created_at)::text FROM users ORDER BY id;
  INSERT INTO outbox (type, occurred_at, data)
    SELECT 'user.followed', f.created_at, json_build_object('followerId', f.follower_id, 'follower', a.username,
      'followeeId', f.followee_id, 'followee', b.username)::text
    FROM follows f JOIN users a ON a.id = f.follower_id JOIN users b ON b.id = f.followee_id ORDER BY f.follower_id, f.followee_id;
`;
const IMPORTED_POST_EVENTS_SQL = `
  INSERT INTO outbox (type, occurred_at, data)
    SELECT 'post.created', at, json_object('id', id, 'username', username, 'message', message,
      'repostOf', repost_of, 'inReplyTo', in_reply_to, 'createdAt', at)
    FROM (SELECT *, ${ISO('created_at')} AS at FROM posts) ORDER BY id;
  INSERT INTO outbox (type, occurred_at, data)
    SELECT 'post.liked', at, json_object('postId', post_id, 'username', username, 'likedAt', at)
    FROM (SELECT *, ${ISO('created_at')} AS at FROM likes) ORDER BY created_at, post_id;
`;

/** Builds one database into `<target>.building` and returns that path; removes it on failure. */
async function buildTemporary({ target, migrations, tables, load, finish }: Build): Promise<string> {
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.building`;
  rmSync(temporary, { force: true });
  const db = new Database(temporary);
  try {
    // A throw-away file until the rename: no journal, no fsync, constraints checked by the importers.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = OFF');
    db.pragma('cache_size = -262144');
    db.pragma('temp_store = MEMORY');
    migrate(db, migrations);
    const indexes = secondaryIndexes(db, tables);
    for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
    db.exec('BEGIN');
    const started = performance.now();
    const summary = await load(db);
    for (const { sql } of indexes) db.exec(sql);
    finish?.(db);
    if ((db.pragma('foreign_key_check') as unknown[]).length > 0) throw new Error('foreign key check failed');
    db.exec('COMMIT');
    db.pragma('journal_mode = WAL');
    db.close();
    console.error(`${target}: ${summary} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    return temporary;
  } catch (error) {
    if (db.open) db.close();
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Opens a transaction on the users database in PostgreSQL and imports into it; the caller
 * commits it (after the SQLite files are complete) or rolls it back. Null when --if-missing
 * finds accounts there already; an import into a database that has accounts is refused.
 */
async function importUsersPostgres(
  url: string,
  usersCsv: string,
  followersCsv: string,
  ifMissing: boolean,
): Promise<{ client: PoolClient; store: PostgresStore } | null> {
  const store = new PostgresStore({ url, poolSize: 1 });
  let client: PoolClient | undefined;
  try {
    await migratePostgres(store, USERS_POSTGRES_MIGRATIONS);
    client = await store.pool.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE users IN EXCLUSIVE MODE');
    const existing = Number((await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM users')).rows[0].n);
    if (existing > 0) {
      if (ifMissing) {
        await client.query('ROLLBACK');
        client.release();
        await store.close();
        return null;
      }
      throw new UsageError(`the users database at ${redacted(url)} already has ${existing} accounts; init-db fills only an empty one`);
    }
    const started = performance.now();
    const { users, follows } = await importUsersIntoPostgres(client, usersCsv, followersCsv);
    await client.query(IMPORTED_USER_EVENTS_POSTGRES_SQL);
    console.error(`${redacted(url)}: ${users} users, ${follows} follows in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    return { client, store };
  } catch (error) {
    if (client) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
    await store.close();
    throw error;
  }
}

/** A URL as it may be printed: without its password. */
function redacted(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** A CSV file the import needs, checked before anything is built, with the path it looked for. */
function requireFile(path: string, what: string): string {
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`${what} not found: ${resolve(path)}`);
  return path;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: 'data' },
      users: { type: 'string' },
      followers: { type: 'string' },
      posts: { type: 'string' },
      likes: { type: 'string' },
      'users-db': { type: 'string', default: process.env.USERS_DATABASE_PATH ?? 'var/db/users.db' },
      'users-url': { type: 'string', default: process.env.USERS_DATABASE_URL || undefined },
      'timelines-db': { type: 'string', default: process.env.TIMELINES_DATABASE_PATH ?? 'var/db/timelines.db' },
      only: { type: 'string' },
      'if-missing': { type: 'boolean', default: false },
    },
  });
  if (values.only !== undefined && values.only !== 'users' && values.only !== 'timelines') {
    throw new UsageError(`--only must be users or timelines, not "${values.only}"`);
  }
  const fromData = (given: string | undefined, name: string) => {
    if (given !== undefined) return given;
    if (!existsSync(values.data)) throw new UsageError(`data directory not found: ${resolve(values.data)}`);
    return join(values.data, name);
  };
  const wanted = (name: string, target: string) =>
    (values.only === undefined || values.only === name) && !(values['if-missing'] && existsSync(target));

  const usersUrl = values['users-url'];
  if (usersUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(usersUrl)) throw new UsageError('--users-url must be a postgres:// URL');
  let usersOnPostgres: { usersCsv: string; followersCsv: string } | undefined;
  const builds: Build[] = [];
  if (usersUrl !== undefined && (values.only === undefined || values.only === 'users')) {
    usersOnPostgres = {
      usersCsv: requireFile(fromData(values.users, 'users.csv'), 'users file'),
      followersCsv: requireFile(fromData(values.followers, 'followers.csv'), 'followers file'),
    };
  } else if (wanted('users', values['users-db'])) {
    const usersCsv = requireFile(fromData(values.users, 'users.csv'), 'users file');
    const followersCsv = requireFile(fromData(values.followers, 'followers.csv'), 'followers file');
    builds.push({
      target: values['users-db'],
      migrations: USERS_MIGRATIONS,
      tables: ['users', 'follows'],
      load: async (db) => {
        const { users, follows } = await importUsers(db, usersCsv, followersCsv);
        return `${users} users, ${follows} follows`;
      },
      finish: (db) => db.exec(IMPORTED_USER_EVENTS_SQL),
    });
  }
  if (wanted('timelines', values['timelines-db'])) {
    const postsCsv = requireFile(fromData(values.posts, 'posts.csv'), 'posts file');
    // likes.csv is optional in the data directory, but a file named on the command line must exist.
    const likesCsv = values.likes !== undefined ? requireFile(values.likes, 'likes file') : fromData(undefined, 'likes.csv');
    builds.push({
      target: values['timelines-db'],
      migrations: TIMELINES_MIGRATIONS,
      tables: ['posts', 'likes'],
      load: async (db) => {
        const { posts, likes } = await importPosts(db, postsCsv, likesCsv);
        return `${posts} posts, ${likes} likes`;
      },
      // The counters are set once at the end, after the indexes they are counted through.
      finish: (db) => db.exec(RECOUNT_POSTS_SQL + IMPORTED_POST_EVENTS_SQL),
    });
  }

  const built: Array<{ temporary: string; target: string }> = [];
  let postgres: { client: PoolClient; store: PostgresStore } | null = null;
  try {
    for (const build of builds) built.push({ temporary: await buildTemporary(build), target: build.target });
    if (usersOnPostgres) {
      postgres = await importUsersPostgres(usersUrl!, usersOnPostgres.usersCsv, usersOnPostgres.followersCsv, values['if-missing']);
    }
  } catch (error) {
    for (const { temporary } of built) rmSync(temporary, { force: true });
    throw error;
  }
  if (postgres) {
    try {
      await postgres.client.query('COMMIT');
    } catch (error) {
      for (const { temporary } of built) rmSync(temporary, { force: true });
      throw error;
    } finally {
      postgres.client.release();
      await postgres.store.close();
    }
  }
  // Every database is complete: only now is any target replaced.
  for (const { temporary, target } of built) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
    renameSync(temporary, target);
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ImportError || error instanceof UsageError;
  console.error(`init-db: ${known ? error.message : (error as Error).message}`);
  process.exit(1);
});
