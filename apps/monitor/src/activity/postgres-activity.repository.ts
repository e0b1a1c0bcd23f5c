import { PostgresStore, Tx } from '@app/database';
import { ActivityEntry, ActivityRepository, Counter, HOUR, MonitorPostRow, NewMonitorPost, Totals } from './activity.repository';

const COUNTERS: Record<Counter, string> = { likes: 'likes', reposts: 'reposts', replies: 'replies' };

/** The monitor's activity on PostgreSQL; usernames compare by lower(), as SQLite's NOCASE does. */
export class PostgresActivityRepository implements ActivityRepository {
  constructor(private readonly store: PostgresStore) {}

  async clear(_tx: Tx): Promise<void> {
    for (const table of ['activity', 'likes', 'posts', 'posts_per_hour']) await this.store.run(`DELETE FROM ${table}`);
  }

  async insertPost(_tx: Tx, post: NewMonitorPost): Promise<boolean> {
    const inserted = await this.store.run(
      `INSERT INTO posts (id, username, message, created_at, repost_of, in_reply_to) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING`,
      [post.id, post.username, post.message, post.createdAt, post.repostOf, post.inReplyTo],
    );
    return inserted > 0;
  }

  parentsOf(id: number): Promise<{ repost_of: number | null; in_reply_to: number | null } | undefined> {
    return this.store.one('SELECT repost_of, in_reply_to FROM posts WHERE id = $1', [id]);
  }

  async edit(_tx: Tx, id: number, message: string, editedAt: number): Promise<void> {
    await this.store.run('UPDATE posts SET message = $2, edited_at = $3 WHERE id = $1', [id, message, editedAt]);
  }

  async delete(_tx: Tx, id: number): Promise<void> {
    await this.store.run('DELETE FROM posts WHERE id = $1', [id]);
  }

  async count(_tx: Tx, counter: Counter, by: number, id: number): Promise<void> {
    const column = COUNTERS[counter];
    await this.store.run(`UPDATE posts SET ${column} = ${column} + $1 WHERE id = $2`, [by, id]);
  }

  async addLike(_tx: Tx, postId: number, username: string): Promise<boolean> {
    return (await this.store.run('INSERT INTO likes (post_id, username) VALUES ($1, $2) ON CONFLICT DO NOTHING', [postId, username])) > 0;
  }

  async removeLike(_tx: Tx, postId: number, username: string): Promise<boolean> {
    return (await this.store.run('DELETE FROM likes WHERE post_id = $1 AND lower(username) = lower($2)', [postId, username])) > 0;
  }

  async addActivity(_tx: Tx, entry: ActivityEntry): Promise<void> {
    await this.store.run('INSERT INTO activity (post_id, kind, actor, at, source) VALUES ($1, $2, $3, $4, $5)', [
      entry.postId,
      entry.kind,
      entry.actor,
      entry.at,
      entry.source,
    ]);
  }

  async removeLikeActivity(_tx: Tx, postId: number, actor: string): Promise<void> {
    await this.store.run("DELETE FROM activity WHERE post_id = $1 AND kind = 'like' AND lower(actor) = lower($2)", [postId, actor]);
  }

  trending(since: number, limit: number): Promise<Array<MonitorPostRow & { score: number }>> {
    return this.store.query(
      `SELECT p.*, COUNT(*)::int AS score FROM activity a JOIN posts p ON p.id = a.post_id
       WHERE a.at >= $1 AND p.in_reply_to IS NULL AND p.repost_of IS NULL
       GROUP BY p.id ORDER BY score DESC, p.created_at DESC, p.id DESC LIMIT $2`,
      [since, limit],
    );
  }

  async totals(): Promise<Totals> {
    return (await this.store.one<Totals>(
      `SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM posts) AS posts,
              (SELECT COUNT(*) FROM likes) AS likes, (SELECT COUNT(*) FROM follows) AS follows`,
    ))!;
  }

  mostActive(since: number, limit: number): Promise<Array<{ username: string; posts: number }>> {
    // Whole hours after the one the window starts in from posts_per_hour, that hour's part from posts.
    const firstHour = Math.floor(since / HOUR);
    return this.store.query(
      `SELECT MIN(username) AS username, SUM(posts)::int AS posts FROM (
         SELECT user_key, username, posts FROM posts_per_hour WHERE hour > $1
         UNION ALL
         SELECT lower(username), username, 1 FROM posts WHERE created_at >= $2 AND created_at < $3
       ) counted GROUP BY user_key ORDER BY posts DESC, user_key LIMIT $4`,
      [firstHour, since, (firstHour + 1) * HOUR, limit],
    );
  }

  postsPerMinute(since: number): Promise<Array<{ minute: number; posts: number }>> {
    return this.store.query('SELECT created_at / 60000 AS minute, COUNT(*) AS posts FROM posts WHERE created_at >= $1 GROUP BY minute ORDER BY minute', [
      since,
    ]);
  }
}
