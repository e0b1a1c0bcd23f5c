import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@app/testing';
import { postCreatedEvent, postLikedEvent } from '../../apps/timelines/src/posts/post.events';
import { PostRow } from '../../apps/timelines/src/posts/posts.repository';
import { followEvent, registeredEvent } from '../../apps/users/src/users/user.events';
import { UserRow } from '../../apps/users/src/users/users.repository';
import { entryPoint } from '@app/topology';

/** The init command as users run it: the compiled CLI over CSV files in a temporary folder. */
describe('init-db', () => {
  const dir = tempDir('init');
  afterAll(() => dir.remove());
  let badCase = 0;

  const write = (name: string, text: string) => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };
  const run = (...args: string[]) => spawnSync(process.execPath, [entryPoint('init-db'), ...args], { encoding: 'utf8' });

  const users = () =>
    write('users.csv', 'id,username,bio,email,password\n1,chris,I hate you,chris@gotmail.com,password2\n2,steve,I love you,steve@hotmail.com,password3\n');
  const followers = () => write('followers.csv', 'id,username,friend_username\n1,chris,steve\n2,steve,chris\n');

  it('builds both databases from the seed data in data/', () => {
    const result = run('--users-db', join(dir.path, 'seed-users.db'), '--timelines-db', join(dir.path, 'seed-timelines.db'));
    expect(result.status).toBe(0);
    const usersDb = new Database(join(dir.path, 'seed-users.db'), { readonly: true });
    const rows = usersDb.prepare('SELECT username, password_hash FROM users ORDER BY id').all() as Array<{ username: string; password_hash: string }>;
    expect(rows.map((row) => row.username)).toEqual(['chris', 'steve']);
    expect(rows.every((row) => row.password_hash.startsWith('$scrypt$') && !row.password_hash.includes('password'))).toBe(true);
    expect((usersDb.prepare('SELECT COUNT(*) AS n FROM follows').get() as { n: number }).n).toBe(2);
    usersDb.close();
    const timelinesDb = new Database(join(dir.path, 'seed-timelines.db'), { readonly: true });
    expect(timelinesDb.prepare('SELECT id, username, created_at FROM posts').all()).toEqual([
      { id: 1, username: 'User1', created_at: Date.parse('2021-10-12T22:58:57Z') },
    ]);
    timelinesDb.close();
  });

  it('records each imported row as the event its service records for it (the same encoders)', () => {
    const target = (name: string) => join(dir.path, `events-${name}.db`);
    const posts = write('events-posts.csv', 'id,username,message,timestamp,repost\n1,ann,"hi, there",2021-10-12 22:58:57.5,\n2,ben,,2021-10-13T10:00:00Z,1\n');
    const result = run('--users', users(), '--followers', followers(), '--posts', posts, '--users-db', target('users'), '--timelines-db', target('timelines'));
    expect(result.status).toBe(0);
    const outbox = (db: Database.Database, type: string) =>
      (db.prepare('SELECT data FROM outbox WHERE type = ? ORDER BY id').all(type) as Array<{ data: string }>).map((row) => JSON.parse(row.data) as unknown);
    const usersDb = new Database(target('users'), { readonly: true });
    const accounts = usersDb.prepare('SELECT * FROM users ORDER BY id').all() as UserRow[];
    expect(outbox(usersDb, 'user.registered')).toEqual(accounts.map(registeredEvent));
    const byId = new Map(accounts.map((account) => [account.id, account]));
    const follows = usersDb.prepare('SELECT follower_id, followee_id FROM follows ORDER BY follower_id, followee_id').all() as Array<{
      follower_id: number;
      followee_id: number;
    }>;
    expect(outbox(usersDb, 'user.followed')).toEqual(follows.map((follow) => followEvent(byId.get(follow.follower_id)!, byId.get(follow.followee_id)!)));
    usersDb.close();
    const timelinesDb = new Database(target('timelines'), { readonly: true });
    const rows = timelinesDb.prepare('SELECT * FROM posts ORDER BY id').all() as PostRow[];
    expect(rows).toHaveLength(2);
    expect(outbox(timelinesDb, 'post.created')).toEqual(rows.map(postCreatedEvent));
    const likes = timelinesDb.prepare('SELECT post_id, username, created_at FROM likes ORDER BY created_at, post_id').all() as Array<{
      post_id: number;
      username: string;
      created_at: number;
    }>;
    expect(outbox(timelinesDb, 'post.liked')).toEqual(likes.map((like) => postLikedEvent(like.post_id, like.username, like.created_at)));
    timelinesDb.close();
  });

  it('reads reposts given as an id, a path or a URL, pointing reposts of reposts at the original', () => {
    const posts = write(
      'posts.csv',
      [
        'id,username,message,timestamp,repost',
        '1,ann,"original, with a comma",2021-10-12 22:58:57.123456,',
        '2,ben,,2021-10-13T10:00:00Z,1',
        '3,cat,,2021-10-13T11:00:00+01:00,/posts/2',
        '4,dan,,2021-10-14 00:00:00,http://localhost/posts/1',
      ].join('\n'),
    );
    const target = join(dir.path, 'reposts.db');
    const result = run('--only', 'timelines', '--posts', posts, '--timelines-db', target);
    expect(result.stderr).not.toMatch(/init-db:/);
    expect(result.status).toBe(0);
    const db = new Database(target, { readonly: true });
    expect(db.prepare('SELECT id, message, repost_of, created_at FROM posts ORDER BY id').all()).toEqual([
      { id: 1, message: 'original, with a comma', repost_of: null, created_at: Date.parse('2021-10-12T22:58:57.123Z') },
      { id: 2, message: 'original, with a comma', repost_of: 1, created_at: Date.parse('2021-10-13T10:00:00Z') },
      { id: 3, message: 'original, with a comma', repost_of: 1, created_at: Date.parse('2021-10-13T10:00:00Z') },
      { id: 4, message: 'original, with a comma', repost_of: 1, created_at: Date.parse('2021-10-14T00:00:00Z') },
    ]);
    db.close();
  });

  it.each([
    ['posts.csv', 'id,username,message,timestamp,repost\n1,ann,ok,2021-10-12 22:58:57,\n2,ben,ok,last tuesday,\n', 3, /timestamp/],
    ['posts.csv', 'id,username,message,timestamp,repost\n1,ann,ok,2021-10-12 22:58:57,\n2,ben,ok,2021-10-12 22:58:57,9\n', 3, /post 9 does not exist/],
    ['posts.csv', 'id,username,message,timestamp,repost\n1,ann,ok,2021-10-12 22:58:57,\n1,ben,ok,2021-10-12 22:58:57,\n', 3, /appears twice/],
    ['posts.csv', 'id,username,message,timestamp,repost\n1,ann,"   ",2021-10-12 22:58:57,\n', 2, /white space/],
    ['posts.csv', 'id,username,message,timestamp,repost\n1,ann,ok,2021-10-12 22:58:57\n', 2, /column|record length/i],
    ['posts.csv', 'id,username,text,timestamp,repost\n1,ann,ok,2021-10-12 22:58:57,\n', 1, /missing column/],
  ])('stops at bad row %# of %s, naming file, line and reason, leaving nothing behind', (name, text, line, reason) => {
    const posts = write(name, text);
    const target = join(dir.path, `bad-${++badCase}.db`);
    const result = run('--only', 'timelines', '--posts', posts, '--timelines-db', target);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`${name}:${line}:`);
    expect(result.stderr).toMatch(reason);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.building`)).toBe(false);
  });

  it('imports likes.csv, comments (in_reply_to) and the optional role column', () => {
    const dataDir = join(dir.path, 'full');
    mkdirSync(dataDir);
    writeFileSync(
      join(dataDir, 'users.csv'),
      'id,username,bio,email,password,role\n1,chris,,chris@x.io,password2,admin\n2,steve,,steve@x.io,password3,\n3,ann,,ann@x.io,password4,user\n',
    );
    writeFileSync(join(dataDir, 'followers.csv'), 'id,username,friend_username\n1,chris,steve\n');
    writeFileSync(
      join(dataDir, 'posts.csv'),
      'id,username,message,timestamp,repost,in_reply_to\n1,chris,hello,2021-10-12 22:58:57,,\n2,steve,a reply,2021-10-12 23:00:00,,1\n3,ann,a reply to the reply,2021-10-12 23:01:00,,2\n',
    );
    writeFileSync(join(dataDir, 'likes.csv'), 'post_id,username\n1,steve\n1,ann\n2,chris\n');
    const usersDb = join(dir.path, 'full-users.db');
    const timelinesDb = join(dir.path, 'full-timelines.db');
    const result = run('--data', dataDir, '--users-db', usersDb, '--timelines-db', timelinesDb);
    expect(result.stderr).not.toMatch(/init-db:/);
    expect(result.status).toBe(0);
    const usersRead = new Database(usersDb, { readonly: true });
    expect(usersRead.prepare('SELECT username, role FROM users ORDER BY id').all()).toEqual([
      { username: 'chris', role: 'admin' },
      { username: 'steve', role: 'user' },
      { username: 'ann', role: 'user' },
    ]);
    usersRead.close();
    const timelinesRead = new Database(timelinesDb, { readonly: true });
    expect(timelinesRead.prepare('SELECT id, in_reply_to FROM posts ORDER BY id').all()).toEqual([
      { id: 1, in_reply_to: null },
      { id: 2, in_reply_to: 1 },
      { id: 3, in_reply_to: 2 },
    ]);
    expect(timelinesRead.prepare('SELECT post_id, username FROM likes ORDER BY post_id, username').all()).toEqual([
      { post_id: 1, username: 'ann' },
      { post_id: 1, username: 'steve' },
      { post_id: 2, username: 'chris' },
    ]);
    timelinesRead.close();

    const badRole = write('users-role.csv', 'id,username,bio,email,password,role\n1,chris,,chris@x.io,password2,root\n');
    const refused = run('--only', 'users', '--users', badRole, '--followers', followers(), '--users-db', join(dir.path, 'role.db'));
    expect(refused.stderr).toContain('users-role.csv:2: role "root" must be user or admin');
    const badLike = write('likes-bad.csv', 'post_id,username\n1,steve\n9,ann\n');
    const noLike = run('--only', 'timelines', '--posts', join(dataDir, 'posts.csv'), '--likes', badLike, '--timelines-db', join(dir.path, 'likes.db'));
    expect(noLike.stderr).toContain('likes-bad.csv:3: post "9" does not exist');
  });

  it('is one change: a bad posts.csv leaves users.db as it was too, even when users.csv is good', () => {
    const usersDb = join(dir.path, 'pair-users.db');
    const timelinesDb = join(dir.path, 'pair-timelines.db');
    expect(run('--users', users(), '--followers', followers(), '--users-db', usersDb, '--timelines-db', timelinesDb).status).toBe(0);
    const live = new Database(usersDb);
    live.prepare("INSERT INTO users (username, email, password_hash, created_at) VALUES ('registered_since', 'r@x.io', 'h', 'now')").run();
    live.close();
    const badPosts = write('posts-bad-time.csv', 'id,username,message,timestamp,repost\n1,ann,ok,2021-10-12 22:58:57,\n2,ben,ok,yesterday,\n');
    const result = run('--users', users(), '--followers', followers(), '--posts', badPosts, '--users-db', usersDb, '--timelines-db', timelinesDb);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('posts-bad-time.csv:3: timestamp "yesterday"');
    const kept = new Database(usersDb, { readonly: true });
    expect(kept.prepare('SELECT username FROM users ORDER BY id').pluck().all()).toEqual(['chris', 'steve', 'registered_since']);
    kept.close();
    expect(existsSync(`${usersDb}.building`)).toBe(false);
  });

  it('names the path it looked for when the data directory or a file is missing', () => {
    const missingDir = run('--data', join(dir.path, 'no-such-dir'), '--users-db', join(dir.path, 'x.db'), '--timelines-db', join(dir.path, 'y.db'));
    expect(missingDir.status).toBe(1);
    expect(missingDir.stderr).toContain(`init-db: data directory not found: ${join(dir.path, 'no-such-dir')}`);
    const missingFile = run('--only', 'users', '--users', join(dir.path, 'nope.csv'), '--followers', followers(), '--users-db', join(dir.path, 'z.db'));
    expect(missingFile.stderr).toContain(`init-db: users file not found: ${join(dir.path, 'nope.csv')}`);
    expect(existsSync(join(dir.path, 'z.db'))).toBe(false);
  });

  it('refuses bad users and follows, keeping an existing database as it was', () => {
    const target = join(dir.path, 'kept-users.db');
    expect(run('--only', 'users', '--users', users(), '--followers', followers(), '--users-db', target).status).toBe(0);
    const badUsers = write('users-bad.csv', 'id,username,bio,email,password\n1,chris,,chris@x.io,password2\n2,Chris,,other@x.io,password3\n');
    const first = run('--only', 'users', '--users', badUsers, '--followers', followers(), '--users-db', target);
    expect(first.status).not.toBe(0);
    expect(first.stderr).toContain('users-bad.csv:3: username "Chris" appears twice');
    const badFollows = write('follows-bad.csv', 'id,username,friend_username\n1,chris,nobody\n');
    const second = run('--only', 'users', '--users', users(), '--followers', badFollows, '--users-db', target);
    expect(second.stderr).toContain('follows-bad.csv:2: unknown user "nobody"');
    const db = new Database(target, { readonly: true });
    expect((db.prepare('SELECT COUNT(*) AS n FROM follows').get() as { n: number }).n).toBe(2);
    db.close();
  });
});
