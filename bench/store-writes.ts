/**
 * `npm run bench:stores [-- SECONDS]`: the two stores' own ceilings, for docs/capacity.md.
 * The same three statement shapes, run by 1 and by 3 processes (as 1 and 3 replicas)
 * against one SQLite file (WAL, synchronous=NORMAL, as the services open it) and against a
 * throwaway PostgreSQL cluster (Debian's, as shipped and with synchronous_commit=off;
 * 4 connections per process):
 *   compose   INSERT a post and its outbox event in one transaction
 *   like      INSERT a like on one hot post, bump its stored counter, and the outbox event
 *   read      the newest 20 posts (the public page's query)
 * These are the stores' limits, without HTTP or the services' code; the services' own
 * figures are in docs/benchmarks.md.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Pool, PoolClient } from 'pg';
import { freePort, PostgresCluster } from '@app/topology';

type Store = 'sqlite' | 'postgres';
type Scenario = 'compose' | 'like' | 'read';
const SCENARIOS: Scenario[] = ['compose', 'like', 'read'];
const PG_CONNECTIONS = 4;
const SEED_POSTS = 10_000;
const HOT_POST = 1;

const SQLITE_SCHEMA = `
  CREATE TABLE posts (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL, message TEXT NOT NULL, created_at TEXT NOT NULL, likes INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE likes (post_id INTEGER NOT NULL, username TEXT NOT NULL, PRIMARY KEY (post_id, username)) WITHOUT ROWID;
  CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, payload TEXT NOT NULL);`;
const POSTGRES_SCHEMA = `
  CREATE TABLE posts (id BIGSERIAL PRIMARY KEY, username TEXT NOT NULL, message TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, likes INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE likes (post_id BIGINT NOT NULL, username TEXT NOT NULL, PRIMARY KEY (post_id, username));
  CREATE TABLE outbox (id BIGSERIAL PRIMARY KEY, type TEXT NOT NULL, payload TEXT NOT NULL);`;

/** One worker process: runs `scenario` for `seconds` and prints how many it completed. */
async function worker(store: Store, scenario: Scenario, target: string, seconds: number): Promise<number> {
  const tag = `${process.pid}`;
  let n = 0;
  const deadline = Date.now() + seconds * 1000;
  if (store === 'sqlite') {
    const db = new Database(target, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const insertPost = db.prepare('INSERT INTO posts (username, message, created_at) VALUES (?, ?, ?)');
    const insertLike = db.prepare('INSERT OR IGNORE INTO likes (post_id, username) VALUES (?, ?)');
    const bump = db.prepare('UPDATE posts SET likes = likes + 1 WHERE id = ?');
    const record = db.prepare('INSERT INTO outbox (type, payload) VALUES (?, ?)');
    const page = db.prepare('SELECT id, username, message, created_at, likes FROM posts ORDER BY id DESC LIMIT 20');
    const compose = db.transaction(() => {
      const id = insertPost.run(`user${n % 1000}`, `message ${n}`, new Date().toISOString()).lastInsertRowid;
      record.run('post.created', JSON.stringify({ id }));
    });
    const like = db.transaction(() => {
      if (insertLike.run(HOT_POST, `${tag}-${n}`).changes) bump.run(HOT_POST);
      record.run('post.liked', JSON.stringify({ id: HOT_POST }));
    });
    const work = { compose: () => compose.immediate(), like: () => like.immediate(), read: () => page.all() }[scenario];
    while (Date.now() < deadline) {
      for (let i = 0; i < 50; i++, n++) work();
    }
    db.close();
    return n;
  }
  const pool = new Pool({ connectionString: target, max: PG_CONNECTIONS });
  const inTransaction = async (work: (client: PoolClient) => Promise<void>) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };
  const work: Record<Scenario, (i: number) => Promise<void>> = {
    compose: (i) =>
      inTransaction(async (client) => {
        const { rows } = await client.query<{ id: string }>('INSERT INTO posts (username, message, created_at) VALUES ($1, $2, now()) RETURNING id', [
          `user${i % 1000}`,
          `message ${i}`,
        ]);
        await client.query('INSERT INTO outbox (type, payload) VALUES ($1, $2)', ['post.created', JSON.stringify({ id: rows[0].id })]);
      }),
    like: (i) =>
      inTransaction(async (client) => {
        const inserted = await client.query('INSERT INTO likes (post_id, username) VALUES ($1, $2) ON CONFLICT DO NOTHING', [HOT_POST, `${tag}-${i}`]);
        if (inserted.rowCount) await client.query('UPDATE posts SET likes = likes + 1 WHERE id = $1', [HOT_POST]);
        await client.query('INSERT INTO outbox (type, payload) VALUES ($1, $2)', ['post.liked', JSON.stringify({ id: HOT_POST })]);
      }),
    read: async () => {
      await pool.query({ name: 'page', text: 'SELECT id, username, message, created_at, likes FROM posts ORDER BY id DESC LIMIT 20' });
    },
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: PG_CONNECTIONS }, async () => {
      while (Date.now() < deadline) {
        await work[scenario](next++);
        n++;
      }
    }),
  );
  await pool.end();
  return n;
}

/** `processes` workers at once; the total operations per second. */
async function measure(store: Store, scenario: Scenario, target: string, processes: number, seconds: number): Promise<number> {
  const counts = await Promise.all(
    Array.from(
      { length: processes },
      () =>
        new Promise<number>((resolve, reject) => {
          const child = spawn(process.execPath, [__filename, 'worker', store, scenario, target, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk));
          child.on('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`${store} ${scenario} worker exited ${code}`))));
        }),
    ),
  );
  return counts.reduce((a, b) => a + b, 0) / seconds;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'microblog-stores-'));
  const sqlitePath = join(dir, 'stores.db');
  const sqlite = new Database(sqlitePath);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec(SQLITE_SCHEMA);
  sqlite
    .prepare(
      `WITH RECURSIVE g(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < ?)
       INSERT INTO posts (username, message, created_at) SELECT 'user' || value % 1000, 'seed ' || value, '2026-01-01T00:00:00Z' FROM g`,
    )
    .run(SEED_POSTS);
  sqlite.close();

  const rows: Array<{ store: string; figures: number[] }> = [];
  const row = async (label: string, store: Store, target: string) => {
    for (const processes of [1, 3]) {
      const figures: number[] = [];
      for (const scenario of SCENARIOS) figures.push(await measure(store, scenario, target, processes, seconds));
      rows.push({ store: `${label}, ${processes} process${processes > 1 ? 'es' : ''}`, figures });
    }
  };
  await row('SQLite (WAL, synchronous=NORMAL)', 'sqlite', sqlitePath);
  let version = '';
  // PostgreSQL as it ships (each commit flushed to disk), then with commits flushed in the
  // background: the durability SQLite's WAL with synchronous=NORMAL gives.
  for (const settings of [{}, { synchronous_commit: 'off' }] as Array<Record<string, string>>) {
    const cluster = new PostgresCluster(await freePort());
    await cluster.start(settings);
    try {
      const pool = new Pool({ connectionString: cluster.url, max: 1 });
      await pool.query(POSTGRES_SCHEMA);
      await pool.query(
        "INSERT INTO posts (username, message, created_at) SELECT 'user' || g % 1000, 'seed ' || g, '2026-01-01T00:00:00Z' FROM generate_series(1, $1::int) g",
        [SEED_POSTS],
      );
      version = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
      await pool.end();
      await row(`PostgreSQL${'synchronous_commit' in settings ? ' (synchronous_commit=off)' : ''}`, 'postgres', cluster.url);
    } finally {
      await cluster.stop();
    }
  }
  rmSync(dir, { recursive: true, force: true });

  console.log(`Stores alone, operations per second, ${seconds} s per figure (PostgreSQL ${version}, ${PG_CONNECTIONS} connections per process):\n`);
  console.log(`| store | ${SCENARIOS.join(' | ')} |`);
  console.log(`|---|${SCENARIOS.map(() => '---:').join('|')}|`);
  for (const { store, figures } of rows) console.log(`| ${store} | ${figures.map((f) => Math.round(f).toLocaleString('en-US')).join(' | ')} |`);
}

if (process.argv[2] === 'worker') {
  const [, , , store, scenario, target, seconds] = process.argv;
  worker(store as Store, scenario as Scenario, target, Number(seconds)).then(
    (n) => console.log(n),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
} else {
  main().catch((error: Error) => {
    console.error(error);
    process.exit(1);
  });
}
