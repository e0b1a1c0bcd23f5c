/**
 * Builds the users and timelines databases from CSV files.
 *
 *   node dist/scripts/scripts/init-db.js [--data DIR] [--users F] [--followers F] [--posts F]
 *     [--likes F] [--users-db PATH | --users-url postgres://…] [--timelines-db PATH | --timelines-url postgres://…]
 *     [--only users|timelines] [--if-missing]
 *
 * One command is one change: every database it names is built in a temporary file (schema
 * by the services' own migrations, rows in one transaction) and the files are renamed over
 * their targets only when all of them are complete. A bad row leaves every database as it
 * was, and the command exits non-zero naming the file, line and reason. With --users-url or
 * --timelines-url (USERS_DATABASE_URL, TIMELINES_DATABASE_URL) that service's rows go into an
 * empty PostgreSQL database instead, each in one transaction committed only once every
 * database is complete.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ImportError } from '@app/csv-import';
import { Migration, migrate, migratePostgres, PostgresStore, secondaryIndexes, Sqlite } from '@app/database';
import type { PoolClient } from 'pg';
import { POSTGRES_URL, withPasswordFile } from '@app/config';
import { USERS_MIGRATIONS } from '../apps/users/src/database/users.migrations';
import { USERS_POSTGRES_MIGRATIONS } from '../apps/users/src/database/users.postgres-migrations';
import { importUsers, importUsersIntoPostgres } from '../apps/users/src/import/users-importer';
import { RECOUNT_POSTS_SQL, TIMELINES_MIGRATIONS } from '../apps/timelines/src/database/timelines.migrations';
import { TIMELINES_POSTGRES_MIGRATIONS } from '../apps/timelines/src/database/timelines.postgres-migrations';
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
    db.prepare('INSERT INTO initialised (at) VALUES (?)').run(new Date().toISOString());
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

/** A load into PostgreSQL, its transaction still open: committed once everything else is complete. */
interface OpenImport {
  client: PoolClient;
  store: PostgresStore;
}

/**
 * Opens a transaction on a PostgreSQL database (schema by the service's own migrations) and
 * runs `load` in it; the caller commits it or rolls it back. Null when --if-missing finds
 * rows in `table` already; a load into a database that has rows there is refused.
 */
async function intoPostgres(
  url: string,
  migrations: readonly Migration[],
  table: string,
  ifMissing: boolean,
  load: (client: PoolClient) => Promise<string>,
): Promise<OpenImport | null> {
  const store = new PostgresStore({ url, poolSize: 1 });
  let client: PoolClient | undefined;
  try {
    await migratePostgres(store, migrations);
    client = await store.pool.connect();
    await client.query('BEGIN');
    await client.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
    const existing = Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);
    if (existing > 0) {
      if (ifMissing) {
        // Filled before the marker existed, or by an earlier run: mark it, so services waiting for it start.
        await client.query('INSERT INTO initialised (at) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM initialised)', [new Date().toISOString()]);
        await client.query('COMMIT');
        client.release();
        await store.close();
        return null;
      }
      throw new UsageError(`${redacted(url)} already has ${existing} ${table}; init-db fills only an empty database`);
    }
    const started = performance.now();
    const summary = await load(client);
    await client.query('INSERT INTO initialised (at) VALUES ($1)', [new Date().toISOString()]);
    console.error(`${redacted(url)}: ${summary} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
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

const COPY_BATCH = 5000;

/**
 * Copies a timelines database built (and so checked) by the SQLite importer into PostgreSQL:
 * posts with their counters, likes, and the outbox of imported events, in id order; the
 * foreign keys are checked at the commit.
 */
async function copyTimelines(source: string, client: PoolClient): Promise<string> {
  const db = new Database(source, { readonly: true });
  try {
    await client.query('SET CONSTRAINTS ALL DEFERRED');
    const columns = ['id', 'username', 'message', 'created_at', 'edited_at', 'repost_of', 'in_reply_to', 'likes', 'reposts', 'replies'] as const;
    const types = ['bigint', 'text', 'text', 'bigint', 'bigint', 'bigint', 'bigint', 'int', 'int', 'int'];
    const posts = await copyRows(db, client, 'posts', columns, types, 'id');
    await client.query("SELECT setval(pg_get_serial_sequence('posts', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM posts");
    const likes = await copyRows(db, client, 'likes', ['post_id', 'username', 'created_at'], ['bigint', 'text', 'bigint'], 'post_id, username');
    await copyRows(db, client, 'outbox', ['type', 'occurred_at', 'data'], ['text', 'text', 'text'], 'id');
    return `${posts} posts, ${likes} likes`;
  } finally {
    db.close();
  }
}

async function copyRows(db: Sqlite, client: PoolClient, table: string, columns: readonly string[], types: string[], order: string): Promise<number> {
  const list = columns.join(', ');
  const arrays = columns.map((_, i) => `$${i + 1}::${types[i]}[]`).join(', ');
  const rows = db.prepare(`SELECT ${list} FROM ${table} ORDER BY ${order}`).raw().iterate() as IterableIterator<unknown[]>;
  let batch: unknown[][] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values = columns.map((_, i) => batch.map((row) => row[i]));
    await client.query(`INSERT INTO ${table} (${list}) SELECT * FROM unnest(${arrays})`, values);
    count += batch.length;
    batch = [];
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length === COPY_BATCH) await flush();
  }
  await flush();
  return count;
}

/** A PostgreSQL URL option, with the password from DATABASE_PASSWORD_FILE (a Docker secret) when that is set. */
function postgresUrl(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (!POSTGRES_URL.test(value)) throw new UsageError(`${option} must be a postgres:// URL`);
  return withPasswordFile(value, process.env.DATABASE_PASSWORD_FILE);
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
      'timelines-url': { type: 'string', default: process.env.TIMELINES_DATABASE_URL || undefined },
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
  const wanted = (name: string, target: string) => (values.only === undefined || values.only === name) && !(values['if-missing'] && existsSync(target));

  const usersUrl = postgresUrl(values['users-url'], '--users-url');
  const timelinesUrl = postgresUrl(values['timelines-url'], '--timelines-url');
  const ifMissing = values['if-missing'];
  /** The loads into PostgreSQL, run once every SQLite file is built. */
  const intoPostgresJobs: Array<() => Promise<OpenImport | null>> = [];
  const builds: Build[] = [];
  if (usersUrl !== undefined && (values.only === undefined || values.only === 'users')) {
    const usersCsv = requireFile(fromData(values.users, 'users.csv'), 'users file');
    const followersCsv = requireFile(fromData(values.followers, 'followers.csv'), 'followers file');
    intoPostgresJobs.push(() =>
      intoPostgres(usersUrl, USERS_POSTGRES_MIGRATIONS, 'users', ifMissing, async (client) => {
        const { users, follows } = await importUsersIntoPostgres(client, usersCsv, followersCsv);
        await client.query(IMPORTED_USER_EVENTS_POSTGRES_SQL);
        return `${users} users, ${follows} follows`;
      }),
    );
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
  // On PostgreSQL the timelines database is built as a SQLite file first (every rule of the
  // importer), then copied.
  const scratch = timelinesUrl !== undefined ? mkdtempSync(join(tmpdir(), 'init-db-')) : undefined;
  if (scratch !== undefined && (values.only === undefined || values.only === 'timelines')) {
    const source = join(scratch, 'timelines.db');
    intoPostgresJobs.push(() => intoPostgres(timelinesUrl!, TIMELINES_POSTGRES_MIGRATIONS, 'posts', ifMissing, (client) => copyTimelines(source, client)));
  }
  if (scratch !== undefined ? values.only === undefined || values.only === 'timelines' : wanted('timelines', values['timelines-db'])) {
    const postsCsv = requireFile(fromData(values.posts, 'posts.csv'), 'posts file');
    // likes.csv is optional in the data directory, but a file named on the command line must exist.
    const likesCsv = values.likes !== undefined ? requireFile(values.likes, 'likes file') : fromData(undefined, 'likes.csv');
    builds.push({
      target: scratch !== undefined ? join(scratch, 'timelines.db') : values['timelines-db'],
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
  const opened: OpenImport[] = [];
  const committed: PoolClient[] = [];
  const stores: PostgresStore[] = [];
  try {
    for (const build of builds) {
      const temporary = await buildTemporary(build);
      // The copy for PostgreSQL is read from the scratch directory; the files wait for the renames below.
      if (scratch !== undefined && build.target.startsWith(scratch)) renameSync(temporary, build.target);
      else built.push({ temporary, target: build.target });
    }
    for (const job of intoPostgresJobs) {
      const open = await job();
      if (open) {
        opened.push(open);
        stores.push(open.store);
      }
    }
    for (const { client } of opened.splice(0)) {
      await client.query('COMMIT');
      committed.push(client);
    }
  } catch (error) {
    for (const { temporary } of built) rmSync(temporary, { force: true });
    throw error;
  } finally {
    for (const { client } of opened) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
    for (const client of committed) client.release();
    for (const store of stores) await store.close();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
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
