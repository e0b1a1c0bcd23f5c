import { Statement } from 'better-sqlite3';
import { SqliteStore, Tx } from '@app/database';
import { LikeCount, NewPost, POST_COLUMNS, PostRow, PostsRepository, TimeCursor } from './posts.repository';
import { AuthorsPageQuery, SqliteKnownPages } from './sqlite-known-pages';

/** How many of the newest timeline entries the home timeline's first try looks through. */
export const HOME_SCAN_WINDOW = 2000;
/**
 * How long a replica reuses the first page's window floor (finding it walks HOME_SCAN_WINDOW
 * index entries: a fifth of a home page's time). Any floor gives the same page, since a page
 * the window does not fill comes from the exact per-author query; a floor that new posts
 * have made older only makes the window a little larger.
 */
export const HOME_FLOOR_TTL_MS = 1000;

const NEWEST = [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] as const;
const OLDEST = [-Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER] as const;

/** The posts repository on SQLite: every statement prepared once per replica. */
export class SqlitePostsRepository implements PostsRepository {
  private readonly byId: Statement<[number], PostRow>;
  private readonly repostBy: Statement<[number, string], PostRow>;
  private readonly insertPost: Statement<NewPost>;
  private readonly updatePostMessage: Statement<[string, number, number]>;
  private readonly deletePost: Statement<[number]>;
  private readonly insertLike: Statement<[number, string, number]>;
  private readonly deleteLike: Statement<[number, string]>;
  private readonly likeCount: Statement<[number], { likes: number }>;
  private readonly countAs: Record<'likes' | 'reposts' | 'replies', Statement<[number, number]>>;
  private readonly parents: Statement<[number], { repost_of: number | null; in_reply_to: number | null }>;
  private readonly publicPage: Statement<[number, number, number], PostRow>;
  private readonly userPage: Statement<[string, number, number, number], PostRow>;
  private readonly homeScanFloor: Statement<{ createdAt: number; id: number; window: number }, { created_at: number; id: number }>;
  private readonly homeRecentPage: Statement<AuthorsPageQuery & { floorCreatedAt: number; floorId: number }, PostRow>;
  private readonly homePerAuthorPage: Statement<AuthorsPageQuery, PostRow>;
  private newestFloor: { value: { created_at: number; id: number } | undefined; until: number } | null = null;
  private readonly commentsPage: Statement<[number, number, number, number], PostRow>;
  private readonly knownPages: SqliteKnownPages;

  constructor(private readonly store: SqliteStore) {
    const { db } = store;
    this.knownPages = new SqliteKnownPages(db, POST_COLUMNS, store.remembersAnswers);
    this.byId = db.prepare(`SELECT ${POST_COLUMNS} FROM posts p WHERE p.id = ?`);
    this.repostBy = db.prepare(`SELECT ${POST_COLUMNS} FROM posts p WHERE p.repost_of = ? AND p.username = ?`);
    this.insertPost = db.prepare(
      `INSERT INTO posts (username, message, created_at, repost_of, in_reply_to)
       VALUES (@username, @message, @createdAt, @repostOf, @inReplyTo)`,
    );
    this.updatePostMessage = db.prepare('UPDATE posts SET message = ?, edited_at = ? WHERE id = ?');
    this.deletePost = db.prepare('DELETE FROM posts WHERE id = ?');
    this.insertLike = db.prepare('INSERT OR IGNORE INTO likes (post_id, username, created_at) VALUES (?, ?, ?)');
    this.deleteLike = db.prepare('DELETE FROM likes WHERE post_id = ? AND username = ?');
    this.likeCount = db.prepare('SELECT likes FROM posts WHERE id = ?');
    // The stored counters (migration 4) move with every write of what they count, in its transaction.
    this.countAs = {
      likes: db.prepare('UPDATE posts SET likes = likes + ? WHERE id = ?'),
      reposts: db.prepare('UPDATE posts SET reposts = reposts + ? WHERE id = ?'),
      replies: db.prepare('UPDATE posts SET replies = replies + ? WHERE id = ?'),
    };
    this.parents = db.prepare('SELECT repost_of, in_reply_to FROM posts WHERE id = ?');
    this.publicPage = db.prepare(
      `SELECT ${POST_COLUMNS} FROM posts p
       WHERE p.in_reply_to IS NULL AND (p.created_at, p.id) < (?, ?)
       ORDER BY p.created_at DESC, p.id DESC LIMIT ?`,
    );
    this.userPage = db.prepare(
      `SELECT ${POST_COLUMNS} FROM posts p
       WHERE p.username = ? AND p.in_reply_to IS NULL AND (p.created_at, p.id) < (?, ?)
       ORDER BY p.created_at DESC, p.id DESC LIMIT ?`,
    );
    // Home timeline, first try: walk the newest HOME_SCAN_WINDOW timeline entries and keep the
    // followed authors' posts; for someone who follows active people this fills a page at
    // once, whatever the size of the table.
    this.homeScanFloor = db.prepare(
      `SELECT created_at, id FROM posts INDEXED BY posts_public_timeline
       WHERE in_reply_to IS NULL AND (created_at, id) < (@createdAt, @id)
       ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET @window`,
    );
    this.homeRecentPage = db.prepare(
      `SELECT ${POST_COLUMNS} FROM posts p INDEXED BY posts_public_timeline
       WHERE p.in_reply_to IS NULL AND (p.created_at, p.id) < (@createdAt, @id)
         AND (p.created_at, p.id) >= (@floorCreatedAt, @floorId)
         AND p.username IN (SELECT value FROM json_each(@authors))
       ORDER BY p.created_at DESC, p.id DESC LIMIT @limit`,
    );
    // Second try, for quiet follows: each author's newest `limit` posts from their own index
    // range, so the cost grows with the people followed, never with the table.
    this.homePerAuthorPage = db.prepare(
      `WITH authors(name) AS (SELECT DISTINCT value FROM json_each(@authors)),
       candidates AS (
         SELECT c.id FROM authors a, posts c
         WHERE c.id IN (
           SELECT x.id FROM posts x
           WHERE x.username = a.name AND x.in_reply_to IS NULL AND (x.created_at, x.id) < (@createdAt, @id)
           ORDER BY x.created_at DESC, x.id DESC LIMIT @limit)
         ORDER BY c.created_at DESC, c.id DESC LIMIT @limit)
       SELECT ${POST_COLUMNS} FROM candidates k JOIN posts p ON p.id = k.id
       ORDER BY p.created_at DESC, p.id DESC`,
    );
    this.commentsPage = db.prepare(
      `SELECT ${POST_COLUMNS} FROM posts p
       WHERE p.in_reply_to = ? AND (p.created_at, p.id) > (?, ?)
       ORDER BY p.created_at, p.id LIMIT ?`,
    );
  }

  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.write(work);
  }

  findById(id: number): Promise<PostRow | undefined> {
    return this.store.remember(`post:${id}`, () => this.byId.get(id));
  }

  findRepost(originalId: number, username: string): Promise<PostRow | undefined> {
    return this.store.use(() => this.repostBy.get(originalId, username));
  }

  insert(_tx: Tx, post: NewPost): Promise<PostRow> {
    return this.store.use(() => this.insertNow(post));
  }

  private insertNow(post: NewPost): PostRow {
    const id = Number(this.insertPost.run(post).lastInsertRowid);
    if (post.repostOf !== null) this.countAs.reposts.run(1, post.repostOf);
    if (post.inReplyTo !== null) this.countAs.replies.run(1, post.inReplyTo);
    return this.byId.get(id)!;
  }

  updateMessage(_tx: Tx, id: number, message: string, editedAt: number): Promise<PostRow> {
    return this.store.use(() => {
      this.updatePostMessage.run(message, editedAt, id);
      return this.byId.get(id)!;
    });
  }

  /**
   * Deletes the post; ON DELETE CASCADE takes its likes, comments and reposts (and theirs).
   * Only the post's own parent keeps a counter that changes: every other post that loses a
   * like, repost or reply is deleted in the same cascade.
   */
  delete(_tx: Tx, id: number): Promise<void> {
    return this.store.use(() => this.deleteNow(id));
  }

  private deleteNow(id: number): void {
    const parents = this.parents.get(id);
    if (!parents || this.deletePost.run(id).changes === 0) return;
    if (parents.repost_of !== null) this.countAs.reposts.run(-1, parents.repost_of);
    if (parents.in_reply_to !== null) this.countAs.replies.run(-1, parents.in_reply_to);
  }

  addLike(_tx: Tx, postId: number, username: string, at: number): Promise<LikeCount> {
    return this.store.use(() => {
      const changed = this.insertLike.run(postId, username, at).changes > 0;
      if (changed) this.countAs.likes.run(1, postId);
      return { likes: this.likeCount.get(postId)!.likes, changed };
    });
  }

  removeLike(_tx: Tx, postId: number, username: string): Promise<LikeCount> {
    return this.store.use(() => {
      const changed = this.deleteLike.run(postId, username).changes > 0;
      if (changed) this.countAs.likes.run(-1, postId);
      return { likes: this.likeCount.get(postId)!.likes, changed };
    });
  }

  publicTimeline(before: TimeCursor | null, limit: number): Promise<PostRow[]> {
    const [createdAt, id] = before ?? NEWEST;
    return this.store.remember(`public:${createdAt}:${id}:${limit}`, () => this.publicPage.all(createdAt, id, limit));
  }

  userTimeline(username: string, before: TimeCursor | null, limit: number): Promise<PostRow[]> {
    const [createdAt, id] = before ?? NEWEST;
    return this.store.remember(`user:${createdAt}:${id}:${limit}:${username}`, () => this.userPage.all(username, createdAt, id, limit));
  }

  homeTimeline(authors: string[], before: TimeCursor | null, limit: number): Promise<PostRow[]> {
    const [createdAt, id] = before ?? NEWEST;
    const query = { authors: JSON.stringify(authors), createdAt, id, limit };
    const key = `home:${createdAt}:${id}:${limit}:${query.authors}`;
    return this.store.remember(key, () => this.knownPages.page(key, query, () => this.homePage(query, before)));
  }

  private homePage(query: AuthorsPageQuery, before: TimeCursor | null): PostRow[] {
    const { createdAt, id, limit } = query;
    const floor = before ? this.homeScanFloor.get({ createdAt, id, window: HOME_SCAN_WINDOW }) : this.newestPageFloor();
    const recent = this.homeRecentPage.all({
      ...query,
      floorCreatedAt: floor?.created_at ?? OLDEST[0],
      floorId: floor?.id ?? OLDEST[1],
    });
    // A full page, or a scan that reached the oldest post, is the whole answer.
    if (recent.length === limit || !floor) return recent;
    return this.homePerAuthorPage.all(query);
  }

  private newestPageFloor(): { created_at: number; id: number } | undefined {
    const now = Date.now();
    if (!this.newestFloor || now >= this.newestFloor.until) {
      const [createdAt, id] = NEWEST;
      this.newestFloor = { value: this.homeScanFloor.get({ createdAt, id, window: HOME_SCAN_WINDOW }), until: now + HOME_FLOOR_TTL_MS };
    }
    return this.newestFloor.value;
  }

  comments(postId: number, after: TimeCursor | null, limit: number): Promise<PostRow[]> {
    const [createdAt, id] = after ?? OLDEST;
    return this.store.remember(`comments:${postId}:${createdAt}:${id}:${limit}`, () => this.commentsPage.all(postId, createdAt, id, limit));
  }
}
