import { openDatabase, Sqlite } from '@app/database';
import { RECOUNT_POSTS_SQL, TIMELINES_MIGRATIONS } from '../database/timelines.migrations';
import { HOME_SCAN_WINDOW, SqlitePostsRepository } from './sqlite-posts.repository';

/** The SQLite adapter over a real in-memory database with the full schema. */
describe('SqlitePostsRepository', () => {
  let db: Sqlite;
  let posts: SqlitePostsRepository;
  const add = (username: string, fields: { repostOf?: number; inReplyTo?: number } = {}) =>
    posts.insert({ username, message: 'm', createdAt: Date.now(), repostOf: fields.repostOf ?? null, inReplyTo: fields.inReplyTo ?? null });
  const counters = () => db.prepare('SELECT id, likes, reposts, replies FROM posts ORDER BY id').all();
  const recounted = () => {
    const copy = db.prepare('SELECT id, likes, reposts, replies FROM posts ORDER BY id').all();
    db.exec('SAVEPOINT recount');
    db.exec('UPDATE posts SET likes = 0, reposts = 0, replies = 0');
    db.exec(RECOUNT_POSTS_SQL);
    const exact = counters();
    db.exec('ROLLBACK TO recount; RELEASE recount');
    return { stored: copy, exact };
  };

  beforeEach(() => {
    db = openDatabase(':memory:', TIMELINES_MIGRATIONS);
    posts = new SqlitePostsRepository(db);
  });
  afterEach(() => db.close());

  it('keeps the stored counters equal to what they count through every kind of write', () => {
    const root = add('ann');
    const comment = add('ben', { inReplyTo: root.id });
    add('cat', { inReplyTo: comment.id });
    const repost = add('dan', { repostOf: root.id });
    add('eve', { repostOf: comment.id });
    expect(posts.addLike(root.id, 'ben', 1).likes).toBe(1);
    expect(posts.addLike(root.id, 'BEN', 2)).toEqual({ likes: 1, changed: false }); // same user, any case: no second like
    expect(posts.addLike(root.id, 'cat', 3).likes).toBe(2);
    expect(posts.addLike(comment.id, 'ann', 4).likes).toBe(1);
    expect(posts.removeLike(root.id, 'nobody').likes).toBe(2);
    expect(posts.findById(root.id)).toMatchObject({ likes: 2, reposts: 1, replies: 1 });
    expect(posts.findById(comment.id)).toMatchObject({ likes: 1, reposts: 1, replies: 1 });

    posts.delete(repost.id);
    expect(posts.findById(root.id)).toMatchObject({ reposts: 0 });
    posts.delete(comment.id); // cascades to its reply, its repost and its like
    expect(posts.findById(root.id)).toMatchObject({ likes: 2, reposts: 0, replies: 0 });
    expect(posts.removeLike(root.id, 'Ben').likes).toBe(1);
    posts.delete(999);
    const { stored, exact } = recounted();
    expect(stored).toEqual(exact);
  });

  it('reads a post with 100,000 likes from its stored counter', () => {
    const popular = add('ann');
    const insert = db.prepare('INSERT INTO likes (post_id, username, created_at) VALUES (?, ?, 0)');
    db.transaction(() => {
      for (let i = 0; i < 100_000; i++) insert.run(popular.id, `fan_${i}`);
    })();
    db.exec(RECOUNT_POSTS_SQL);
    expect(posts.findById(popular.id)!.likes).toBe(100_000);
    expect(posts.publicTimeline(null, 20)[0].likes).toBe(100_000);
  });

  it('gives the exact home page whatever happened since the window floor was found', () => {
    const at = (createdAt: number, username: string) => posts.insert({ username, message: 'm', createdAt, repostOf: null, inReplyTo: null });
    for (let i = 0; i < HOME_SCAN_WINDOW + 50; i++) at(1_000 + i, i % 2 ? 'noise' : 'quiet');
    const home = () => posts.homeTimeline(['reader', 'quiet', 'fresh'], null, 3).map((row) => row.id);
    const before = home(); // finds the window floor, and reuses it below
    expect(before).toHaveLength(3);
    const newer = [at(900_000, 'fresh'), at(900_001, 'noise'), at(900_002, 'reader')];
    for (let i = 0; i < 3_000; i++) at(800_000 + i, 'noise'); // enough newer entries to move the true floor past every quiet post
    expect(home()).toEqual([newer[2].id, newer[0].id, before[0]]);
    db.prepare("DELETE FROM posts WHERE username IN ('noise', 'reader', 'fresh')").run();
    expect(home()).toEqual(before);
  });

  it('finds a repost by its author in any letter case', () => {
    const root = add('ann');
    const repost = add('Ben', { repostOf: root.id });
    expect(posts.findRepost(root.id, 'BEN')?.id).toBe(repost.id);
    expect(posts.findRepost(root.id, 'cat')).toBeUndefined();
  });
});
