import { Statement } from 'better-sqlite3';
import { IdRange } from '@app/common';
import { SqliteStore } from '@app/database';
import { POST_COLUMNS, PostRow, TimeCursor } from '../posts/posts.repository';
import { AccountProfile } from '../user-directory/accounts.repository';
import { AUTHOR_STATS_JOIN, PROFILE_COLUMNS } from '../user-directory/sqlite-accounts.repository';
import { LikedPost, StatusReadsRepository, TimelineScope, ViewerState } from './status-reads.repository';

/** How deep a comment tree is followed. */
const MAX_DEPTH = 64;

type Window = { postId: number; maxId: number | null; lowest: number | null; limit: number };
type After = { createdAt: number; id: number; limit: number };

/** The Mastodon views' reads on SQLite: each remembered until the database next changes. */
export class SqliteStatusReadsRepository implements StatusReadsRepository {
  private readonly byIds: Statement<[string], PostRow>;
  private readonly position: Statement<[number], { created_at: number; id: number }>;
  private readonly nearestOlder: Statement<[number], { created_at: number; id: number }>;
  private readonly newerPublic: Statement<After, PostRow>;
  private readonly newerOfUser: Statement<After & { username: string }, PostRow>;
  private readonly newerOfAuthors: Statement<After & { authors: string }, PostRow>;
  private readonly viewed: Statement<{ username: string; ids: string }, { id: number; liked: number }>;
  private readonly likerWindows: { newest: Statement<Window, AccountProfile>; above: Statement<Window, AccountProfile> };
  private readonly reposterWindows: { newest: Statement<Window, AccountProfile>; above: Statement<Window, AccountProfile> };
  private readonly tree: Statement<[number, number, number], PostRow>;
  private readonly likesOf: Statement<{ username: string; likedAt: number; postId: number; limit: number }, LikedPost>;
  private readonly likeTime: Statement<[string, number], number>;

  constructor(private readonly store: SqliteStore) {
    const { db } = store;
    this.byIds = db.prepare(`SELECT ${POST_COLUMNS} FROM posts p WHERE p.id IN (SELECT value FROM json_each(?))`);
    this.position = db.prepare('SELECT created_at, id FROM posts WHERE id = ?');
    this.nearestOlder = db.prepare('SELECT created_at, id FROM posts WHERE id < ? ORDER BY id DESC LIMIT 1');
    this.newerPublic = db.prepare(
      `SELECT ${POST_COLUMNS} FROM posts p WHERE p.in_reply_to IS NULL AND (p.created_at, p.id) > (@createdAt, @id)
       ORDER BY p.created_at, p.id LIMIT @limit`,
    );
    this.newerOfUser = db.prepare(
      `SELECT ${POST_COLUMNS} FROM posts p WHERE p.username = @username AND p.in_reply_to IS NULL AND (p.created_at, p.id) > (@createdAt, @id)
       ORDER BY p.created_at, p.id LIMIT @limit`,
    );
    // Each author's oldest `limit` posts above the bound, from their own index range, merged.
    this.newerOfAuthors = db.prepare(
      `WITH authors(name) AS (SELECT DISTINCT value FROM json_each(@authors))
       SELECT ${POST_COLUMNS} FROM authors a, posts p
       WHERE p.id IN (
         SELECT x.id FROM posts x
         WHERE x.username = a.name AND x.in_reply_to IS NULL AND (x.created_at, x.id) > (@createdAt, @id)
         ORDER BY x.created_at, x.id LIMIT @limit)
       ORDER BY p.created_at, p.id LIMIT @limit`,
    );
    this.viewed = db.prepare(
      `SELECT post_id AS id, 1 AS liked FROM likes WHERE username = @username AND post_id IN (SELECT value FROM json_each(@ids))
       UNION ALL
       SELECT repost_of, 0 FROM posts WHERE username = @username AND repost_of IN (SELECT value FROM json_each(@ids))`,
    );
    const window = (from: string, order: 'ASC' | 'DESC') =>
      db.prepare<Window, AccountProfile>(
        `SELECT ${PROFILE_COLUMNS} FROM ${from} JOIN accounts a ON a.username = x.username ${AUTHOR_STATS_JOIN}
         WHERE x.post = @postId AND (@maxId IS NULL OR a.id < @maxId) AND (@lowest IS NULL OR a.id > @lowest)
         ORDER BY a.id ${order} LIMIT @limit`,
      );
    const likers = '(SELECT post_id AS post, username FROM likes) x';
    const reposters = '(SELECT repost_of AS post, username FROM posts WHERE repost_of IS NOT NULL) x';
    this.likerWindows = { newest: window(likers, 'DESC'), above: window(likers, 'ASC') };
    this.reposterWindows = { newest: window(reposters, 'DESC'), above: window(reposters, 'ASC') };
    this.tree = db.prepare(
      `WITH RECURSIVE tree(id, depth) AS (
         SELECT id, 1 FROM posts WHERE in_reply_to = ?
         UNION ALL
         SELECT c.id, t.depth + 1 FROM tree t JOIN posts c ON c.in_reply_to = t.id WHERE t.depth < ?)
       SELECT ${POST_COLUMNS} FROM tree t JOIN posts p ON p.id = t.id ORDER BY p.created_at, p.id LIMIT ?`,
    );
    this.likesOf = db.prepare(
      `SELECT ${POST_COLUMNS}, l.created_at AS liked_at FROM likes l INDEXED BY likes_by_user JOIN posts p ON p.id = l.post_id
       WHERE l.username = @username AND (l.created_at, l.post_id) < (@likedAt, @postId)
       ORDER BY l.created_at DESC, l.post_id DESC LIMIT @limit`,
    );
    this.likeTime = db.prepare<[string, number], number>('SELECT created_at FROM likes WHERE username = ? AND post_id = ?').pluck();
  }

  findByIds(ids: readonly number[]): Promise<PostRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    const list = JSON.stringify(ids);
    return this.store.remember(`posts:${list}`, () => this.byIds.all(list));
  }

  positionOf(id: number, bound: 'upper' | 'lower'): Promise<TimeCursor | null> {
    return this.store.remember(`position:${id}:${bound}`, () => {
      const post = this.position.get(id);
      if (post) return [post.created_at, post.id] as TimeCursor;
      const older = this.nearestOlder.get(id);
      if (!older) return null;
      return [older.created_at, bound === 'upper' ? older.id + 1 : older.id] as TimeCursor;
    });
  }

  newer(scope: TimelineScope, [createdAt, id]: TimeCursor, limit: number): Promise<PostRow[]> {
    const after = { createdAt, id, limit };
    switch (scope.kind) {
      case 'public':
        return this.store.remember(`newer:public:${createdAt}:${id}:${limit}`, () => this.newerPublic.all(after));
      case 'user':
        return this.store.remember(`newer:user:${createdAt}:${id}:${limit}:${scope.username}`, () =>
          this.newerOfUser.all({ ...after, username: scope.username }),
        );
      case 'home': {
        const authors = JSON.stringify(scope.authors);
        return this.store.remember(`newer:home:${createdAt}:${id}:${limit}:${authors}`, () => this.newerOfAuthors.all({ ...after, authors }));
      }
    }
  }

  viewerState(username: string, ids: readonly number[]): Promise<ViewerState> {
    if (ids.length === 0) return Promise.resolve({ liked: [], reposted: [] });
    const list = JSON.stringify(ids);
    return this.store.remember(`viewer:${username}:${list}`, () => {
      const rows = this.viewed.all({ username, ids: list });
      return { liked: rows.filter((row) => row.liked).map((row) => row.id), reposted: rows.filter((row) => !row.liked).map((row) => row.id) };
    });
  }

  likers(postId: number, window: IdRange): Promise<AccountProfile[]> {
    return this.store.use(() => inWindow(this.likerWindows, postId, window));
  }

  reposters(postId: number, window: IdRange): Promise<AccountProfile[]> {
    return this.store.use(() => inWindow(this.reposterWindows, postId, window));
  }

  descendants(postId: number, limit: number): Promise<PostRow[]> {
    return this.store.remember(`descendants:${postId}:${limit}`, () => this.tree.all(postId, MAX_DEPTH, limit));
  }

  likedPosts(username: string, before: TimeCursor | null, limit: number): Promise<LikedPost[]> {
    const [likedAt, postId] = before ?? [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    return this.store.use(() => this.likesOf.all({ username, likedAt, postId, limit }));
  }

  likedAt(username: string, postId: number): Promise<number | undefined> {
    return this.store.use(() => this.likeTime.get(username, postId));
  }
}

function inWindow(
  windows: { newest: Statement<Window, AccountProfile>; above: Statement<Window, AccountProfile> },
  postId: number,
  { maxId, sinceId, minId, limit }: IdRange,
): AccountProfile[] {
  return minId === null ? windows.newest.all({ postId, maxId, lowest: sinceId, limit }) : windows.above.all({ postId, maxId, lowest: minId, limit }).reverse();
}
