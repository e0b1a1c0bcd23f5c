import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { eventually, freePort, NO_BUS_URL, tempDir, TEST_SECRET, TestDatabase, testPostgresDatabase } from '@app/testing';
import { entryPoint } from '@app/topology';

/** init-db into PostgreSQL (npm run test:postgres): the same rules and the same "one change" as into SQLite files. */
describe('init-db into PostgreSQL', () => {
  const dir = tempDir('init-pg');
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
    dir.remove();
  });

  const write = (name: string, text: string) => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };
  const run = (...args: string[]) =>
    new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [entryPoint('init-db'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (status) => resolve({ status, stderr }));
    });
  const database = async (prefix: string) => {
    const created = (await testPostgresDatabase(prefix))!;
    databases.push(created);
    return created.url;
  };
  const query = async <T>(url: string, sql: string): Promise<T[]> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } catch (error) {
      if ((error as { code?: string }).code === '42P01') return []; // no such table: nothing was ever created
      throw error;
    } finally {
      await client.end();
    }
  };

  const users = () =>
    write('users.csv', 'id,username,bio,email,password\n3,chris,I hate you,chris@gotmail.com,password2\n7,steve,I love you,steve@hotmail.com,password3\n');
  const followers = () => write('followers.csv', 'id,username,friend_username\n1,chris,steve\n2,steve,chris\n');
  const posts = () =>
    write(
      'posts.csv',
      'id,username,message,timestamp,repost,in_reply_to\n1,ann,hello,2021-10-12 22:58:57,,\n2,ben,,2021-10-13T10:00:00Z,/posts/4,\n3,cat,nice,2021-10-13T11:00:00Z,,1\n4,dan,later original,2021-10-13T12:00:00Z,,\n',
    );
  const likes = () => write('likes.csv', 'post_id,username\n1,chris\n1,steve\n4,chris\n');

  it('imports users and posts with their counters and events, the sequences past the imported ids', async () => {
    const [usersUrl, timelinesUrl] = [await database('init_users'), await database('init_timelines')];
    const args = [
      '--users',
      users(),
      '--followers',
      followers(),
      '--posts',
      posts(),
      '--likes',
      likes(),
      '--users-url',
      usersUrl,
      '--timelines-url',
      timelinesUrl,
    ];
    const result = await run(...args);
    expect(result.stderr).not.toMatch(/init-db:/);
    expect(result.status).toBe(0);
    const accounts = await query<{ id: number; username: string; password_hash: string }>(
      usersUrl,
      'SELECT id, username, password_hash FROM users ORDER BY id',
    );
    expect(accounts.map((row) => [Number(row.id), row.username])).toEqual([
      [3, 'chris'],
      [7, 'steve'],
    ]);
    expect(accounts.every((row) => row.password_hash.startsWith('$scrypt$'))).toBe(true);
    expect(await query(usersUrl, "SELECT nextval(pg_get_serial_sequence('users', 'id'))::int AS next")).toEqual([{ next: 8 }]);
    const events = await query<{ type: string; data: string }>(usersUrl, 'SELECT type, data FROM outbox ORDER BY id');
    expect(events.map((event) => event.type)).toEqual(['user.registered', 'user.registered', 'user.followed', 'user.followed']);
    expect(events.map((event) => event.data).join()).not.toMatch(/scrypt|password|@/);

    const rows = await query(
      timelinesUrl,
      'SELECT id::int, username, message, repost_of::int, in_reply_to::int, likes, reposts, replies FROM posts ORDER BY id',
    );
    expect(rows).toEqual([
      { id: 1, username: 'ann', message: 'hello', repost_of: null, in_reply_to: null, likes: 2, reposts: 0, replies: 1 },
      { id: 2, username: 'ben', message: 'later original', repost_of: 4, in_reply_to: null, likes: 0, reposts: 0, replies: 0 },
      { id: 3, username: 'cat', message: 'nice', repost_of: null, in_reply_to: 1, likes: 0, reposts: 0, replies: 0 },
      { id: 4, username: 'dan', message: 'later original', repost_of: null, in_reply_to: null, likes: 1, reposts: 1, replies: 0 },
    ]);
    expect(await query(timelinesUrl, "SELECT nextval(pg_get_serial_sequence('posts', 'id'))::int AS next")).toEqual([{ next: 5 }]);
    expect(await query(timelinesUrl, 'SELECT type, COUNT(*)::int AS n FROM outbox GROUP BY type ORDER BY type')).toEqual([
      { type: 'post.created', n: 4 },
      { type: 'post.liked', n: 3 },
    ]);

    // A database that has accounts is refused, unless --if-missing, which keeps it as it is.
    const again = await run(...args);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already has 2 users; init-db fills only an empty database');
    expect((await run(...args, '--if-missing')).status).toBe(0);
    expect(await query(usersUrl, 'SELECT COUNT(*)::int AS n FROM users')).toEqual([{ n: 2 }]);
  });

  it('is one change: a bad posts.csv leaves the PostgreSQL users database empty too', async () => {
    const [usersUrl, timelinesUrl] = [await database('bad_users'), await database('bad_timelines')];
    const badPosts = write('posts-bad.csv', 'id,username,message,timestamp,repost\n1,ann,ok,2021-10-12 22:58:57,\n2,ben,ok,yesterday,\n');
    const result = await run('--users', users(), '--followers', followers(), '--posts', badPosts, '--users-url', usersUrl, '--timelines-url', timelinesUrl);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('posts-bad.csv:3: timestamp "yesterday"');
    expect(await query(usersUrl, 'SELECT COUNT(*)::int AS n FROM users')).toEqual([]);
    expect(await query(timelinesUrl, 'SELECT COUNT(*)::int AS n FROM posts')).toEqual([]);
  });

  it('keeps a service started with WAIT_FOR_INIT from listening until init-db has filled its database (the swarm’s first seconds)', async () => {
    const [usersUrl, timelinesUrl] = [await database('wait_users'), await database('wait_timelines')];
    const port = await freePort();
    const service = spawn(process.execPath, [entryPoint('users')], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        SERVICE_NAME: 'users-wait',
        DATABASE_URL: usersUrl,
        WAIT_FOR_INIT: 'true',
        JWT_SECRET: TEST_SECRET,
        REDIS_URL: NO_BUS_URL,
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    for (const stream of [service.stdout!, service.stderr!]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const ready = () =>
      fetch(`http://127.0.0.1:${port}/health/ready`).then(
        (response) => response.status,
        () => 0,
      );
    try {
      await eventually(() => output.includes('waiting for init-db to fill the database'), 15_000);
      // Migrated and waiting: nothing listens, so no registration can come before the seed.
      expect(await ready()).toBe(0);
      expect(await query(usersUrl, 'SELECT id FROM users')).toEqual([]);

      const seed = [
        '--if-missing',
        '--users',
        users(),
        '--followers',
        followers(),
        '--posts',
        posts(),
        '--users-url',
        usersUrl,
        '--timelines-url',
        timelinesUrl,
      ];
      const result = await run(...seed);
      expect(result.stderr).toMatch(/2 users, 2 follows/);
      expect(result.status).toBe(0);
      await eventually(async () => (await ready()) === 200, 15_000);
      const chris = await fetch(`http://127.0.0.1:${port}/users/chris`);
      expect(chris.status).toBe(200);
      // A later --if-missing run finds the databases filled and leaves them as they are.
      expect((await run(...seed)).status).toBe(0);
      expect(await query(usersUrl, 'SELECT COUNT(*)::int AS n FROM initialised')).toEqual([{ n: 1 }]);
      expect(await query(timelinesUrl, 'SELECT COUNT(*)::int AS n FROM initialised')).toEqual([{ n: 1 }]);
    } finally {
      service.kill('SIGKILL');
    }
  }, 60_000);

  it('refuses a URL that is not postgres://', async () => {
    const result = await run('--users', users(), '--followers', followers(), '--only', 'users', '--users-url', 'mysql://db/users');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--users-url must be a postgres:// URL');
  });
});
