/**
 * `node dist/scripts/bench/home-query.js [timelines.db]`: where a home page's time goes, in-process,
 * on the database `npm run bench` leaves in var/bench/reed-var (a copy is read, never the file itself).
 * Prints the median over the first 200 readers of: the follow list from the read model, the home
 * page as the repository reads it, the public page, and the author filter as a join on the read model.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, SqliteStore } from '@app/database';
import { ROOT } from '@app/topology';
import { TIMELINES_MIGRATIONS } from '../apps/timelines/src/database/timelines.migrations';
import { SqlitePostsRepository } from '../apps/timelines/src/posts/sqlite-posts.repository';

const source = process.argv[2] ?? join(ROOT, 'var/bench/reed-var/db/timelines.db');
const dir = mkdtempSync(join(tmpdir(), 'home-query-'));
copyFileSync(source, join(dir, 'timelines.db'));
const db = openDatabase(join(dir, 'timelines.db'), TIMELINES_MIGRATIONS);
const posts = new SqlitePostsRepository(new SqliteStore(db, { rememberedRows: 0 }));
const readers = db.prepare('SELECT username FROM accounts ORDER BY id LIMIT 200').pluck().all() as string[];
const followees = db
  .prepare(
    `SELECT a.username FROM accounts me JOIN account_follows f ON f.follower_id = me.id JOIN accounts a ON a.id = f.followee_id
     WHERE me.username = ?`,
  )
  .pluck();
const homeByJoin = db.prepare(
  `SELECT p.id, p.username, p.message, p.created_at, p.edited_at, p.repost_of, p.in_reply_to, p.likes, p.reposts, p.replies
   FROM posts p INDEXED BY posts_public_timeline
   WHERE p.in_reply_to IS NULL AND (p.username = @me OR p.username IN (
     SELECT a.username FROM accounts me JOIN account_follows f ON f.follower_id = me.id JOIN accounts a ON a.id = f.followee_id
     WHERE me.username = @me))
   ORDER BY p.created_at DESC, p.id DESC LIMIT 21`,
);

/** Median µs per reader of `work`, over five rounds of every reader after a warm-up round. */
function median(work: (reader: string) => unknown): number {
  readers.forEach(work);
  const samples: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const reader of readers) {
      const started = process.hrtime.bigint();
      work(reader);
      samples.push(Number(process.hrtime.bigint() - started) / 1000);
    }
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const rows: Array<[string, number]> = [
  ['follow list (read model)', median((reader) => followees.all(reader))],
  ['home page (repository)', median((reader) => posts.homeTimeline([reader, ...(followees.all(reader) as string[])], null, 21))],
  ['home page, authors joined from the read model', median((reader) => homeByJoin.all({ me: reader }))],
  ['public page (repository)', median(() => posts.publicTimeline(null, 21))],
];
for (const [name, us] of rows) console.log(`${name.padEnd(48)} ${us.toFixed(0).padStart(6)} µs`);
db.close();
rmSync(dir, { recursive: true, force: true });
