import { PostgresStore, Tx } from '@app/database';
import { LikeCount, NewPost, POST_COLUMNS, PostRow, PostsRepository, TimeCursor } from './posts.repository';

const NEWEST = [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] as const;
const OLDEST = [-Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER] as const;

const COUNTERS = { likes: 'likes', reposts: 'reposts', replies: 'replies' } as const;

/**
 * The posts repository on PostgreSQL. Authors compare by lower(), as SQLite's NOCASE does;
 * each timeline is one range of its partial index, as on SQLite.
 */
export class PostgresPostsRepository implements PostsRepository {
  constructor(private readonly store: PostgresStore) {}

  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.write(work);
  }

  findById(id: number): Promise<PostRow | undefined> {
    return this.store.one<PostRow>(`SELECT ${POST_COLUMNS} FROM posts p WHERE p.id = $1`, [id]);
  }

  findRepost(originalId: number, username: string): Promise<PostRow | undefined> {
    return this.store.one<PostRow>(`SELECT ${POST_COLUMNS} FROM posts p WHERE p.repost_of = $1 AND lower(p.username) = lower($2)`, [originalId, username]);
  }

  async insert(_tx: Tx, post: NewPost): Promise<PostRow> {
    const row = await this.store.one<PostRow>(
      `INSERT INTO posts AS p (username, message, created_at, repost_of, in_reply_to) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${POST_COLUMNS}`,
      [post.username, post.message, post.createdAt, post.repostOf, post.inReplyTo],
    );
    if (post.repostOf !== null) await this.count('reposts', 1, post.repostOf);
    if (post.inReplyTo !== null) await this.count('replies', 1, post.inReplyTo);
    return row!;
  }

  async updateMessage(_tx: Tx, id: number, message: string, editedAt: number): Promise<PostRow> {
    return (await this.store.one<PostRow>(`UPDATE posts AS p SET message = $2, edited_at = $3 WHERE p.id = $1 RETURNING ${POST_COLUMNS}`, [
      id,
      message,
      editedAt,
    ]))!;
  }

  /** Deletes the post; ON DELETE CASCADE takes its likes, comments and reposts; its parent's counter moves. */
  async delete(_tx: Tx, id: number): Promise<void> {
    const parents = await this.store.one<{ repost_of: number | null; in_reply_to: number | null }>(
      'DELETE FROM posts WHERE id = $1 RETURNING repost_of, in_reply_to',
      [id],
    );
    if (!parents) return;
    if (parents.repost_of !== null) await this.count('reposts', -1, parents.repost_of);
    if (parents.in_reply_to !== null) await this.count('replies', -1, parents.in_reply_to);
  }

  async addLike(_tx: Tx, postId: number, username: string, at: number): Promise<LikeCount> {
    const changed =
      (await this.store.run('INSERT INTO likes (post_id, username, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [postId, username, at])) > 0;
    return { likes: changed ? await this.count('likes', 1, postId) : await this.likes(postId), changed };
  }

  async removeLike(_tx: Tx, postId: number, username: string): Promise<LikeCount> {
    const changed = (await this.store.run('DELETE FROM likes WHERE post_id = $1 AND lower(username) = lower($2)', [postId, username])) > 0;
    return { likes: changed ? await this.count('likes', -1, postId) : await this.likes(postId), changed };
  }

  publicTimeline(before: TimeCursor | null, limit: number): Promise<PostRow[]> {
    const [createdAt, id] = before ?? NEWEST;
    return this.store.query<PostRow>(
      `SELECT ${POST_COLUMNS} FROM posts p WHERE p.in_reply_to IS NULL AND (p.created_at, p.id) < ($1, $2)
       ORDER BY p.created_at DESC, p.id DESC LIMIT $3`,
      [createdAt, id, limit],
    );
  }

  userTimeline(username: string, before: TimeCursor | null, limit: number): Promise<PostRow[]> {
    const [createdAt, id] = before ?? NEWEST;
    return this.store.query<PostRow>(
      `SELECT ${POST_COLUMNS} FROM posts p WHERE lower(p.username) = lower($1) AND p.in_reply_to IS NULL AND (p.created_at, p.id) < ($2, $3)
       ORDER BY p.created_at DESC, p.id DESC LIMIT $4`,
      [username, createdAt, id, limit],
    );
  }

  /** Each author's newest `limit` posts from their own index range, merged: the cost grows with the people followed, never with the table. */
  homeTimeline(authors: string[], before: TimeCursor | null, limit: number): Promise<PostRow[]> {
    const [createdAt, id] = before ?? NEWEST;
    const names = [...new Set(authors.map((author) => author.toLowerCase()))];
    return this.store.query<PostRow>(
      `SELECT ${POST_COLUMNS} FROM unnest($1::text[]) AS a(name) CROSS JOIN LATERAL (
         SELECT * FROM posts x WHERE lower(x.username) = a.name AND x.in_reply_to IS NULL AND (x.created_at, x.id) < ($2, $3)
         ORDER BY x.created_at DESC, x.id DESC LIMIT $4) p
       ORDER BY p.created_at DESC, p.id DESC LIMIT $4`,
      [names, createdAt, id, limit],
    );
  }

  comments(postId: number, after: TimeCursor | null, limit: number): Promise<PostRow[]> {
    const [createdAt, id] = after ?? OLDEST;
    return this.store.query<PostRow>(
      `SELECT ${POST_COLUMNS} FROM posts p WHERE p.in_reply_to = $1 AND (p.created_at, p.id) > ($2, $3)
       ORDER BY p.created_at, p.id LIMIT $4`,
      [postId, createdAt, id, limit],
    );
  }

  /** Moves a stored counter (in the transaction of what it counts) and returns its new value. */
  private async count(counter: keyof typeof COUNTERS, by: number, id: number): Promise<number> {
    const column = COUNTERS[counter];
    const row = await this.store.one<{ n: number }>(`UPDATE posts SET ${column} = ${column} + $1 WHERE id = $2 RETURNING ${column} AS n`, [by, id]);
    return row?.n ?? 0;
  }

  private async likes(postId: number): Promise<number> {
    return (await this.store.one<{ likes: number }>('SELECT likes FROM posts WHERE id = $1', [postId]))?.likes ?? 0;
  }
}
