/**
 * Builds the users and timelines databases from CSV files.
 *
 *   node dist/scripts/scripts/init-db.js [--data DIR] [--users F] [--followers F] [--posts F]
 *     [--likes F] [--users-db PATH] [--timelines-db PATH] [--only users|timelines] [--if-missing]
 *
 * Each database is built in a temporary file inside one transaction and renamed over the
 * target only when every row is in: a bad row leaves nothing behind, and the command exits
 * non-zero naming the file, line and reason.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ImportError, Sqlite } from '@app/database';
import { USERS_INDEXES, USERS_TABLES } from '../apps/users/src/database/users.schema';
import { importUsers } from '../apps/users/src/import/users-importer';
import { TIMELINES_INDEXES, TIMELINES_TABLES } from '../apps/timelines/src/database/timelines.schema';
import { importPosts } from '../apps/timelines/src/import/posts-importer';

async function build(target: string, tables: string, indexes: string, load: (db: Sqlite) => Promise<string>): Promise<void> {
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
    db.exec(tables);
    db.exec('BEGIN');
    const started = performance.now();
    const summary = await load(db);
    db.exec(indexes);
    if ((db.pragma('foreign_key_check') as unknown[]).length > 0) throw new Error('foreign key check failed');
    db.exec('COMMIT');
    db.pragma('journal_mode = WAL');
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
    renameSync(temporary, target);
    console.error(`${target}: ${summary} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  } catch (error) {
    if (db.open) db.close();
    rmSync(temporary, { force: true });
    throw error;
  }
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
      'timelines-db': { type: 'string', default: process.env.TIMELINES_DATABASE_PATH ?? 'var/db/timelines.db' },
      only: { type: 'string' },
      'if-missing': { type: 'boolean', default: false },
    },
  });
  const file = (given: string | undefined, name: string) => given ?? join(values.data, name);
  const wanted = (name: string, target: string) =>
    (values.only === undefined || values.only === name) && !(values['if-missing'] && existsSync(target));

  if (wanted('users', values['users-db'])) {
    await build(values['users-db'], USERS_TABLES, USERS_INDEXES, async (db) => {
      const { users, follows } = await importUsers(db, file(values.users, 'users.csv'), file(values.followers, 'followers.csv'));
      return `${users} users, ${follows} follows`;
    });
  }
  if (wanted('timelines', values['timelines-db'])) {
    await build(values['timelines-db'], TIMELINES_TABLES, TIMELINES_INDEXES, async (db) => {
      const { posts, likes } = await importPosts(db, file(values.posts, 'posts.csv'), file(values.likes, 'likes.csv'));
      return `${posts} posts, ${likes} likes`;
    });
  }
}

main().catch((error: unknown) => {
  console.error(`init-db: ${error instanceof ImportError ? error.message : (error as Error).message}`);
  process.exit(1);
});
