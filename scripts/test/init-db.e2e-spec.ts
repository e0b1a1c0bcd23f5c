import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@app/testing';
import { entryPoint } from '@app/topology';

/** The init command as users run it: the compiled CLI over CSV files in a temporary folder. */
describe('init-db', () => {
  const dir = tempDir('init');
  afterAll(() => dir.remove());

  const write = (name: string, text: string) => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [entryPoint('init-db'), ...args], { encoding: 'utf8' });

  const users = () => write('users.csv', 'id,username,bio,email,password\n1,chris,I hate you,chris@gotmail.com,password2\n2,steve,I love you,steve@hotmail.com,password3\n');
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
    const target = join(dir.path, 'bad.db');
    const result = run('--only', 'timelines', '--posts', posts, '--timelines-db', target);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`${name}:${line}:`);
    expect(result.stderr).toMatch(reason);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.building`)).toBe(false);
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
