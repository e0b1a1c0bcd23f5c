import { openDatabase, Sqlite, SqliteStore } from '@app/database';
import { RECOUNT_POSTS_SQL, TIMELINES_MIGRATIONS } from '../database/timelines.migrations';
import { HOME_SCAN_WINDOW, SqlitePostsRepository } from './sqlite-posts.repository';

/** The SQLite adapter over a real in-memory database with the full schema. */
describe('SqlitePostsRepository', () => {
  let db: Sqlite;
  let posts: SqlitePostsRepository;
  const add = (username: string, fields: { repostOf?: number; inReplyTo?: number } = {}) =>
    posts.writeTransaction((tx) =>
      posts.insert(tx, { username, message: 'm', createdAt: Date.now(), repostOf: fields.repostOf ?? null, inReplyTo: fields.inReplyTo ?? null }),
    );
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
    posts = new SqlitePostsRepository(new SqliteStore(db));
  });
  afterEach(() => db.close());

  it('keeps the stored counters equal to what they count through every kind of write', async () => {
    const root = await add('ann');
    const comment = await add('ben', { inReplyTo: root.id });
    await add('cat', { inReplyTo: comment.id });
    const repost = await add('dan', { repostOf: root.id });
    await add('eve', { repostOf: comment.id });
    expect((await posts.writeTransaction((tx) => posts.addLike(tx, root.id, 'ben', 1))).likes).toBe(1);
    expect(await posts.writeTransaction((tx) => posts.addLike(tx, root.id, 'BEN', 2))).toEqual({ likes: 1, changed: false }); // same user, any case: no second like
    expect((await posts.writeTransaction((tx) => posts.addLike(tx, root.id, 'cat', 3))).likes).toBe(2);
    expect((await posts.writeTransaction((tx) => posts.addLike(tx, comment.id, 'ann', 4))).likes).toBe(1);
    expect((await posts.writeTransaction((tx) => posts.removeLike(tx, root.id, 'nobody'))).likes).toBe(2);
    expect(await posts.findById(root.id)).toMatchObject({ likes: 2, reposts: 1, replies: 1 });
    expect(await posts.findById(comment.id)).toMatchObject({ likes: 1, reposts: 1, replies: 1 });

    await posts.writeTransaction((tx) => posts.delete(tx, repost.id));
    expect(await posts.findById(root.id)).toMatchObject({ reposts: 0 });
    await posts.writeTransaction((tx) => posts.delete(tx, comment.id)); // cascades to its reply, its repost and its like
    expect(await posts.findById(root.id)).toMatchObject({ likes: 2, reposts: 0, replies: 0 });
    expect((await posts.writeTransaction((tx) => posts.removeLike(tx, root.id, 'Ben'))).likes).toBe(1);
    await posts.writeTransaction((tx) => posts.delete(tx, 999));
    const { stored, exact } = recounted();
    expect(stored).toEqual(exact);
  });

  it('reads a post with 100,000 likes from its stored counter', async () => {
    const popular = await add('ann');
    const insert = db.prepare('INSERT INTO likes (post_id, username, created_at) VALUES (?, ?, 0)');
    db.transaction(() => {
      for (let i = 0; i < 100_000; i++) insert.run(popular.id, `fan_${i}`);
    })();
    db.exec(RECOUNT_POSTS_SQL);
    expect((await posts.findById(popular.id))!.likes).toBe(100_000);
    expect((await posts.publicTimeline(null, 20))[0].likes).toBe(100_000);
  });

  it('gives the exact home page whatever happened since the window floor was found', async () => {
    const at = (createdAt: number, username: string) =>
      posts.writeTransaction((tx) => posts.insert(tx, { username, message: 'm', createdAt, repostOf: null, inReplyTo: null }));
    for (let i = 0; i < HOME_SCAN_WINDOW + 50; i++) await at(1_000 + i, i % 2 ? 'noise' : 'quiet');
    const home = async () => (await posts.homeTimeline(['reader', 'quiet', 'fresh'], null, 3)).map((row) => row.id);
    const before = await home(); // finds the window floor, and reuses it below
    expect(before).toHaveLength(3);
    const newer = [await at(900_000, 'fresh'), await at(900_001, 'noise'), await at(900_002, 'reader')];
    for (let i = 0; i < 3_000; i++) await at(800_000 + i, 'noise'); // enough newer entries to move the true floor past every quiet post
    expect(await home()).toEqual([newer[2].id, newer[0].id, before[0]]);
    db.prepare("DELETE FROM posts WHERE username IN ('noise', 'reader', 'fresh')").run();
    expect(await home()).toEqual(before);
  });

  it('finds a repost by its author in any letter case', async () => {
    const root = await add('ann');
    const repost = await add('Ben', { repostOf: root.id });
    expect((await posts.findRepost(root.id, 'BEN'))?.id).toBe(repost.id);
    expect(await posts.findRepost(root.id, 'cat')).toBeUndefined();
  });
});
