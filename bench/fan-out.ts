/**
 * `node dist/scripts/bench/fan-out.js`: home timelines pulled at read time (what the service
 * does) against home lists pushed at write time (fan-out on write), in-process on SQLite, on
 * two graphs: Reed98 as `npm run bench` imports it (var/bench/reed-var, run the bench first)
 * and a skewed one, where ten authors are followed by nine readers in ten and everyone
 * follows twenty others. Prints, per graph: a home page read each way (median over 200
 * readers), a post's write each way (its row alone, or its row and an entry per follower, in
 * one transaction: what SQLite's single writer is held for), and what 60 home reads and 10
 * posts (the mixed workload's shares) cost the database each way.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openDatabase, SqliteStore } from '@app/database';
import { ROOT } from '@app/topology';
import { TIMELINES_MIGRATIONS } from '../apps/timelines/src/database/timelines.migrations';
import { SqlitePostsRepository } from '../apps/timelines/src/posts/sqlite-posts.repository';
import { randomGenerator } from './dataset';

const READERS = 200;
const PAGE = 21;

function medianUs(samples: number[]): number {
  const sorted = samples.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeUs(work: () => unknown): number {
  const started = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - started) / 1000;
}

/** A graph of `people`: `stars` authors followed by `starShare` of everyone, and everyone following `each` others at random; 10 posts a person. */
function buildSkewed(db: Database, people = 1000, stars = 10, starShare = 0.9, each = 20): void {
  const random = randomGenerator(11);
  const addAccount = db.prepare('INSERT INTO accounts (id, username) VALUES (?, ?)');
  const follow = db.prepare('INSERT OR IGNORE INTO account_follows (follower_id, followee_id) VALUES (?, ?)');
  const post = db.prepare('INSERT INTO posts (username, message, created_at) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let id = 1; id <= people; id++) addAccount.run(id, `person_${id}`);
    for (let reader = 1; reader <= people; reader++) {
      for (let star = 1; star <= stars; star++) if (reader !== star && random() < starShare) follow.run(reader, star);
      for (let i = 0; i < each; i++) {
        const other = 1 + Math.floor(random() * people);
        if (other !== reader) follow.run(reader, other);
      }
    }
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < people * 10; i++) post.run(`person_${1 + Math.floor(random() * people)}`, 'a post of the skewed graph', start + i * 60_000);
  })();
}

interface GraphFigures {
  graph: string;
  posts: number;
  followersMedian: number;
  followersMax: number;
  pullReadUs: number;
  pushReadUs: number;
  postUs: number;
  pushPostUs: number;
  pushStarPostUs: number;
  entries: number;
}

function measure(graph: string, db: Database): GraphFigures {
  const posts = new SqlitePostsRepository(new SqliteStore(db, { rememberedRows: 0 }));
  const random = randomGenerator(5);
  const postCount = Number(db.prepare('SELECT COUNT(*) FROM posts').pluck().get());
  const accounts = db.prepare('SELECT id, username FROM accounts ORDER BY id').all() as Array<{ id: number; username: string }>;
  const readers = Array.from({ length: READERS }, () => accounts[Math.floor(random() * accounts.length)]);
  const followeesOf = db.prepare('SELECT a.username FROM account_follows f JOIN accounts a ON a.id = f.followee_id WHERE f.follower_id = ?').pluck();
  const followerCounts = db.prepare('SELECT COUNT(*) FROM account_follows GROUP BY followee_id ORDER BY 1').pluck().all() as number[];
  const mostFollowed = db
    .prepare('SELECT a.id, a.username FROM account_follows f JOIN accounts a ON a.id = f.followee_id GROUP BY f.followee_id ORDER BY COUNT(*) DESC LIMIT 1')
    .get() as {
    id: number;
    username: string;
  };
  const followersMedian = followerCounts[Math.floor(followerCounts.length / 2)];

  // Fan-out on write: each reader's home list, every post of the reader and of whom they follow.
  db.exec(`
    CREATE TABLE home_entries (reader_id INTEGER NOT NULL, created_at INTEGER NOT NULL, post_id INTEGER NOT NULL,
      PRIMARY KEY (reader_id, created_at DESC, post_id DESC)) WITHOUT ROWID;
    INSERT INTO home_entries SELECT a.id, p.created_at, p.id FROM posts p JOIN accounts a ON a.username = p.username WHERE p.in_reply_to IS NULL;
    INSERT INTO home_entries SELECT f.follower_id, p.created_at, p.id FROM posts p JOIN accounts a ON a.username = p.username
      JOIN account_follows f ON f.followee_id = a.id WHERE p.in_reply_to IS NULL;
  `);
  const entries = (db.prepare('SELECT COUNT(*) FROM home_entries').pluck().get() as number) ?? 0;
  // The bulk inserts' pages out of the WAL first, so that no timed write pays their checkpoint.
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pushPage = db.prepare(
    `SELECT p.* FROM home_entries h JOIN posts p ON p.id = h.post_id WHERE h.reader_id = ? ORDER BY h.created_at DESC, h.post_id DESC LIMIT ${PAGE}`,
  );

  const pull: number[] = [];
  const push: number[] = [];
  for (let round = -1; round < 5; round++) {
    for (const reader of readers) {
      const authors = [reader.username, ...(followeesOf.all(reader.id) as string[])];
      const pulled = timeUs(() => void posts.homeTimeline(authors, null, PAGE));
      const pushed = timeUs(() => pushPage.all(reader.id));
      if (round >= 0) {
        pull.push(pulled);
        push.push(pushed);
      }
    }
  }

  const insertPost = db.prepare('INSERT INTO posts (username, message, created_at) VALUES (?, ?, ?)');
  const fanOut = db.prepare('INSERT INTO home_entries SELECT follower_id, ?, ? FROM account_follows WHERE followee_id = ? UNION ALL SELECT ?, ?, ?');
  let clock = Date.UTC(2027, 0, 1);
  const write = (author: { id: number; username: string }, withFanOut: boolean) =>
    timeUs(() =>
      db.transaction(() => {
        const at = clock++;
        const id = Number(insertPost.run(author.username, 'a post', at).lastInsertRowid);
        if (withFanOut) fanOut.run(at, id, author.id, author.id, at, id);
      })(),
    );
  // Each kind of write in a run of its own, so that each pays the WAL checkpoints its own pages cause.
  const writes = (author: () => { id: number; username: string }, withFanOut: boolean) => {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const samples: number[] = [];
    for (let i = -20; i < 300; i++) {
      const took = write(author(), withFanOut);
      if (i >= 0) samples.push(took);
    }
    return samples;
  };
  const anyone = () => accounts[Math.floor(random() * accounts.length)];
  const plain = writes(anyone, false);
  const pushed = writes(anyone, true);
  const starPushed = writes(() => mostFollowed, true);
  return {
    graph,
    posts: postCount,
    followersMedian,
    followersMax: followerCounts[followerCounts.length - 1],
    pullReadUs: medianUs(pull),
    pushReadUs: medianUs(push),
    postUs: medianUs(plain),
    pushPostUs: medianUs(pushed),
    pushStarPostUs: medianUs(starPushed),
    entries,
  };
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'fan-out-'));
  try {
    copyFileSync(process.argv[2] ?? join(ROOT, 'var/bench/reed-var/db/timelines.db'), join(dir, 'reed.db'));
    const reed = openDatabase(join(dir, 'reed.db'), TIMELINES_MIGRATIONS);
    const skewed = openDatabase(join(dir, 'skewed.db'), TIMELINES_MIGRATIONS);
    buildSkewed(skewed);
    const figures = [measure('Reed98 as `npm run bench` leaves it', reed), measure('skewed (1,000 people, ten followed by 9 in 10)', skewed)];
    reed.close();
    skewed.close();
    const lines = [
      '| graph | posts | followers: median / most | home read, pull | home read, push | a post, pull | a post, push (median author) | a post, push (most followed) | 60 reads + 10 posts, pull | the same, push | home entries kept |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...figures.map((f) => {
        const pullMix = 60 * f.pullReadUs + 10 * f.postUs;
        const pushMix = 60 * f.pushReadUs + 10 * f.pushPostUs;
        return `| ${f.graph} | ${f.posts.toLocaleString('en')} | ${f.followersMedian} / ${f.followersMax} | ${f.pullReadUs.toFixed(0)} µs | ${f.pushReadUs.toFixed(0)} µs | ${f.postUs.toFixed(0)} µs | ${f.pushPostUs.toFixed(0)} µs | ${f.pushStarPostUs.toFixed(0)} µs | ${(pullMix / 1000).toFixed(1)} ms | ${(pushMix / 1000).toFixed(1)} ms | ${f.entries.toLocaleString('en')} |`;
      }),
    ];
    console.log(lines.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
