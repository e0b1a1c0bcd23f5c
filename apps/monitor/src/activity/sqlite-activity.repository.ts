import { Statement } from 'better-sqlite3';
import { SqliteStore, Tx } from '@app/database';
import { ActivityEntry, ActivityRepository, Counter, HOUR, MonitorPostRow, NewMonitorPost, Totals } from './activity.repository';

export class SqliteActivityRepository implements ActivityRepository {
  private readonly insert: Statement<NewMonitorPost>;
  private readonly parents: Statement<[number], { repost_of: number | null; in_reply_to: number | null }>;
  private readonly editPost: Statement<[string, number, number]>;
  private readonly remove: Statement<[number]>;
  private readonly bump: Record<Counter, Statement<[number, number]>>;
  private readonly like: Statement<[number, string]>;
  private readonly unlike: Statement<[number, string]>;
  private readonly activity: Statement<ActivityEntry>;
  private readonly likeActivityGone: Statement<[number, string]>;
  private readonly trendingQuery: Statement<[number, number], MonitorPostRow & { score: number }>;
  private readonly totalsQuery: Statement<[], Totals>;
  private readonly active: Statement<{ firstHour: number; since: number; limit: number }, { username: string; posts: number }>;
  private readonly perMinute: Statement<[number], { minute: number; posts: number }>;

  constructor(private readonly store: SqliteStore) {
    const { db } = store;
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO posts (id, username, message, created_at, repost_of, in_reply_to)
       VALUES (@id, @username, @message, @createdAt, @repostOf, @inReplyTo)`,
    );
    this.parents = db.prepare('SELECT repost_of, in_reply_to FROM posts WHERE id = ?');
    this.editPost = db.prepare('UPDATE posts SET message = ?, edited_at = ? WHERE id = ?');
    this.remove = db.prepare('DELETE FROM posts WHERE id = ?');
    this.bump = {
      likes: db.prepare('UPDATE posts SET likes = likes + ? WHERE id = ?'),
      reposts: db.prepare('UPDATE posts SET reposts = reposts + ? WHERE id = ?'),
      replies: db.prepare('UPDATE posts SET replies = replies + ? WHERE id = ?'),
    };
    this.like = db.prepare('INSERT OR IGNORE INTO likes (post_id, username) VALUES (?, ?)');
    this.unlike = db.prepare('DELETE FROM likes WHERE post_id = ? AND username = ?');
    this.activity = db.prepare('INSERT INTO activity (post_id, kind, actor, at, source) VALUES (@postId, @kind, @actor, @at, @source)');
    this.likeActivityGone = db.prepare("DELETE FROM activity WHERE post_id = ? AND kind = 'like' AND actor = ?");
    this.trendingQuery = db.prepare(
      `SELECT p.*, COUNT(*) AS score FROM activity a JOIN posts p ON p.id = a.post_id
       WHERE a.at >= ? AND p.in_reply_to IS NULL AND p.repost_of IS NULL
       GROUP BY p.id ORDER BY score DESC, p.created_at DESC, p.id DESC LIMIT ?`,
    );
    this.totalsQuery = db.prepare(
      `SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM posts) AS posts,
              (SELECT COUNT(*) FROM likes) AS likes, (SELECT COUNT(*) FROM follows) AS follows`,
    );
    // Whole hours after the one the window starts in from posts_per_hour, that hour's part from posts.
    this.active = db.prepare(
      `SELECT username, SUM(posts) AS posts FROM (
         SELECT username, posts FROM posts_per_hour WHERE hour > @firstHour
         UNION ALL
         SELECT username, 1 FROM posts WHERE created_at >= @since AND created_at < (@firstHour + 1) * ${HOUR}
       ) GROUP BY username COLLATE NOCASE ORDER BY posts DESC, lower(username) LIMIT @limit`,
    );
    this.perMinute = db.prepare('SELECT created_at / 60000 AS minute, COUNT(*) AS posts FROM posts WHERE created_at >= ? GROUP BY minute ORDER BY minute');
  }

  async clear(_tx: Tx): Promise<void> {
    await this.store.use(() => {
      for (const table of ['activity', 'likes', 'posts', 'posts_per_hour']) this.store.db.prepare(`DELETE FROM ${table}`).run();
    });
  }

  insertPost(_tx: Tx, post: NewMonitorPost): Promise<boolean> {
    return this.store.use(() => this.insert.run(post).changes > 0);
  }

  parentsOf(id: number): Promise<{ repost_of: number | null; in_reply_to: number | null } | undefined> {
    return this.store.use(() => this.parents.get(id));
  }

  async edit(_tx: Tx, id: number, message: string, editedAt: number): Promise<void> {
    await this.store.use(() => this.editPost.run(message, editedAt, id));
  }

  async delete(_tx: Tx, id: number): Promise<void> {
    await this.store.use(() => this.remove.run(id));
  }

  async count(_tx: Tx, counter: Counter, by: number, id: number): Promise<void> {
    await this.store.use(() => this.bump[counter].run(by, id));
  }

  addLike(_tx: Tx, postId: number, username: string): Promise<boolean> {
    return this.store.use(() => this.like.run(postId, username).changes > 0);
  }

  removeLike(_tx: Tx, postId: number, username: string): Promise<boolean> {
    return this.store.use(() => this.unlike.run(postId, username).changes > 0);
  }

  async addActivity(_tx: Tx, entry: ActivityEntry): Promise<void> {
    await this.store.use(() => this.activity.run(entry));
  }

  async removeLikeActivity(_tx: Tx, postId: number, actor: string): Promise<void> {
    await this.store.use(() => this.likeActivityGone.run(postId, actor));
  }

  trending(since: number, limit: number): Promise<Array<MonitorPostRow & { score: number }>> {
    return this.store.use(() => this.trendingQuery.all(since, limit));
  }

  totals(): Promise<Totals> {
    return this.store.use(() => this.totalsQuery.get()!);
  }

  mostActive(since: number, limit: number): Promise<Array<{ username: string; posts: number }>> {
    return this.store.use(() => this.active.all({ firstHour: Math.floor(since / HOUR), since, limit }));
  }

  postsPerMinute(since: number): Promise<Array<{ minute: number; posts: number }>> {
    return this.store.use(() => this.perMinute.all(since));
  }
}
