import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, Sqlite, SqliteStore } from '@app/database';
import { TIMELINES_MIGRATIONS } from '../database/timelines.migrations';
import { MAX_CATCH_UP_POSTS, SqliteKnownPages } from './sqlite-known-pages';
import { SqlitePostsRepository } from './sqlite-posts.repository';

/**
 * Known pages against a real database file written by a second connection, as another
 * replica's process would: every answer must equal what the home query gives afresh.
 */
describe('SqliteKnownPages (the home timeline of a replica that has read it before)', () => {
  let dir: string;
  let db: Sqlite;
  let other: Sqlite;
  let posts: SqlitePostsRepository;
  let clock = 1_000;
  const followed = ['me', 'ann', 'ben'];
  const postAs = (username: string, fields: { inReplyTo?: number } = {}) =>
    Number(
      other
        .prepare('INSERT INTO posts (username, message, created_at, in_reply_to) VALUES (?, ?, ?, ?)')
        .run(username, `by ${username}`, ++clock, fields.inReplyTo ?? null).lastInsertRowid,
    );
  const home = async (limit = 3) => (await posts.homeTimeline(followed, null, limit)).map((row) => row.id);
  /** The same page from a repository that has read nothing before. */
  const fresh = async (limit = 3) =>
    (await new SqlitePostsRepository(new SqliteStore(db, { rememberedRows: 0 })).homeTimeline(followed, null, limit)).map((row) => row.id);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'known-pages-'));
    db = openDatabase(join(dir, 'timelines.db'), TIMELINES_MIGRATIONS);
    other = new Database(join(dir, 'timelines.db'));
    posts = new SqlitePostsRepository(new SqliteStore(db));
  });
  afterEach(() => {
    other.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the posts committed since, by the authors followed, and only theirs', async () => {
    const first = [postAs('ann'), postAs('ben'), postAs('ann')];
    expect(await home()).toEqual(first.slice().reverse());
    postAs('stranger');
    const comment = postAs('ann', { inReplyTo: first[0] });
    const newest = postAs('ben');
    const page = await home();
    expect(page).toEqual([newest, first[2], first[1]]);
    expect(page).not.toContain(comment);
    expect(page).toEqual(await fresh());
  });

  it('computes a page afresh, instead of walking every post since, when more than MAX_CATCH_UP_POSTS were written', async () => {
    const pages = new SqliteKnownPages(db, 'p.*');
    const query = { authors: JSON.stringify(followed), createdAt: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER, limit: 3 };
    const compute = jest.fn(
      () => db.prepare("SELECT p.* FROM posts p WHERE p.username IN ('me', 'ann', 'ben') ORDER BY created_at DESC, id DESC LIMIT 3").all() as never,
    );
    postAs('ann');
    pages.page('home', query, compute);
    postAs('ben'); // a few posts since: brought up to date
    expect(pages.page('home', query, compute).map((row) => row.username)).toEqual(['ben', 'ann']);
    expect(compute).toHaveBeenCalledTimes(1);
    const insert = other.prepare('INSERT INTO posts (username, message, created_at) VALUES (?, ?, ?)');
    other.transaction(() => {
      for (let i = 0; i <= MAX_CATCH_UP_POSTS; i++) insert.run(i % 2 ? 'stranger' : 'ann', 'burst', ++clock);
    })();
    const page = pages.page('home', query, compute);
    expect(compute).toHaveBeenCalledTimes(2);
    expect(page.map((row) => row.id)).toEqual(await fresh());
  });

  it('shows the counters and edits of the posts on the page as they are now', async () => {
    const id = postAs('ann');
    expect((await posts.homeTimeline(followed, null, 3))[0]).toMatchObject({ likes: 0, message: 'by ann' });
    other.prepare("UPDATE posts SET likes = 7, message = 'edited', edited_at = 5 WHERE id = ?").run(id);
    expect((await posts.homeTimeline(followed, null, 3))[0]).toMatchObject({ id, likes: 7, message: 'edited', edited_at: 5 });
  });

  it('shows new counters of a post that was not edited, and keeps the others as they were', async () => {
    const [first, second] = [postAs('ann'), postAs('ben')];
    const before = await posts.homeTimeline(followed, null, 3);
    other.prepare('UPDATE posts SET likes = 3, reposts = 2, replies = 1 WHERE id = ?').run(first);
    const after = await posts.homeTimeline(followed, null, 3);
    expect(after.map((row) => [row.id, row.likes, row.reposts, row.replies, row.message])).toEqual([
      [second, 0, 0, 0, 'by ben'],
      [first, 3, 2, 1, 'by ann'],
    ]);
    expect(after[0]).toBe(before[0]);
  });

  it('computes the page afresh when a post on it was deleted', async () => {
    const ids = [postAs('ann'), postAs('ben'), postAs('me'), postAs('ann')];
    expect(await home()).toEqual([ids[3], ids[2], ids[1]]);
    other.prepare('DELETE FROM posts WHERE id = ?').run(ids[2]);
    expect(await home()).toEqual([ids[3], ids[1], ids[0]]);
  });

  it('remembers nothing read inside a transaction that may give its ids out again', async () => {
    const kept = postAs('ann');
    const store = new SqliteStore(db);
    const inside = new SqlitePostsRepository(store);
    await expect(
      store.write(async () => {
        await inside.writeTransaction((tx) => inside.insert(tx, { username: 'stranger', message: 'm', createdAt: ++clock, repostOf: null, inReplyTo: null }));
        expect((await inside.homeTimeline(followed, null, 3)).map((row) => row.id)).toEqual([kept]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // The rolled-back post's id is given to this one: a page that had counted it as seen would miss it.
    const reused = postAs('ben');
    expect((await inside.homeTimeline(followed, null, 3)).map((row) => row.id)).toEqual([reused, kept]);
  });

  it('computes every page for a store that remembers nothing (the benchmark times the query itself)', async () => {
    postAs('ann');
    const queries = (repository: SqlitePostsRepository) => {
      const spy = jest.spyOn(repository as unknown as { homePage: () => unknown }, 'homePage');
      return async () => {
        await repository.homeTimeline(followed, null, 3);
        postAs('ben');
        await repository.homeTimeline(followed, null, 3);
        return spy.mock.calls.length;
      };
    };
    expect(await queries(posts)()).toBe(1);
    expect(await queries(new SqlitePostsRepository(new SqliteStore(db, { rememberedRows: 0 })))()).toBe(2);
  });
});
