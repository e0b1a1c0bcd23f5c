import { IdRange } from '@app/common';
import { PostgresStore } from '@app/database';
import { POST_COLUMNS, PostRow, TimeCursor } from '../posts/posts.repository';
import { AccountProfile } from '../user-directory/accounts.repository';
import { AUTHOR_STATS_JOIN, PROFILE_COLUMNS } from '../user-directory/postgres-accounts.repository';
import { LikedPost, StatusReadsRepository, TimelineScope, ViewerState } from './status-reads.repository';

const MAX_DEPTH = 64;

/** The Mastodon views' reads on PostgreSQL; authors compare by lower(), as everywhere on this store. */
export class PostgresStatusReadsRepository implements StatusReadsRepository {
  constructor(private readonly store: PostgresStore) {}

  findByIds(ids: readonly number[]): Promise<PostRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.store.query<PostRow>(`SELECT ${POST_COLUMNS} FROM posts p WHERE p.id = ANY($1::bigint[])`, [ids]);
  }

  async positionOf(id: number, bound: 'upper' | 'lower'): Promise<TimeCursor | null> {
    const post = await this.store.one<{ created_at: number; id: number }>('SELECT created_at, id FROM posts WHERE id = $1', [id]);
    if (post) return [post.created_at, post.id];
    const older = await this.store.one<{ created_at: number; id: number }>('SELECT created_at, id FROM posts WHERE id < $1 ORDER BY id DESC LIMIT 1', [id]);
    if (!older) return null;
    return [older.created_at, bound === 'upper' ? older.id + 1 : older.id];
  }

  newer(scope: TimelineScope, [createdAt, id]: TimeCursor, limit: number): Promise<PostRow[]> {
    switch (scope.kind) {
      case 'public':
        return this.store.query<PostRow>(
          `SELECT ${POST_COLUMNS} FROM posts p WHERE p.in_reply_to IS NULL AND (p.created_at, p.id) > ($1, $2)
           ORDER BY p.created_at, p.id LIMIT $3`,
          [createdAt, id, limit],
        );
      case 'user':
        return this.store.query<PostRow>(
          `SELECT ${POST_COLUMNS} FROM posts p WHERE lower(p.username) = lower($4) AND p.in_reply_to IS NULL AND (p.created_at, p.id) > ($1, $2)
           ORDER BY p.created_at, p.id LIMIT $3`,
          [createdAt, id, limit, scope.username],
        );
      case 'home':
        return this.store.query<PostRow>(
          `SELECT ${POST_COLUMNS} FROM unnest($4::text[]) AS a(name) CROSS JOIN LATERAL (
             SELECT * FROM posts x WHERE lower(x.username) = a.name AND x.in_reply_to IS NULL AND (x.created_at, x.id) > ($1, $2)
             ORDER BY x.created_at, x.id LIMIT $3) p
           ORDER BY p.created_at, p.id LIMIT $3`,
          [createdAt, id, limit, [...new Set(scope.authors.map((author) => author.toLowerCase()))]],
        );
    }
  }

  async viewerState(username: string, ids: readonly number[]): Promise<ViewerState> {
    if (ids.length === 0) return { liked: [], reposted: [] };
    const rows = await this.store.query<{ id: number; liked: boolean }>(
      `SELECT post_id AS id, true AS liked FROM likes WHERE lower(username) = lower($1) AND post_id = ANY($2::bigint[])
       UNION ALL
       SELECT repost_of, false FROM posts WHERE lower(username) = lower($1) AND repost_of = ANY($2::bigint[])`,
      [username, ids],
    );
    return { liked: rows.filter((row) => row.liked).map((row) => row.id), reposted: rows.filter((row) => !row.liked).map((row) => row.id) };
  }

  likers(postId: number, window: IdRange): Promise<AccountProfile[]> {
    return this.inWindow('SELECT post_id AS post, username FROM likes', postId, window);
  }

  reposters(postId: number, window: IdRange): Promise<AccountProfile[]> {
    return this.inWindow('SELECT repost_of AS post, username FROM posts WHERE repost_of IS NOT NULL', postId, window);
  }

  descendants(postId: number, limit: number): Promise<PostRow[]> {
    return this.store.query<PostRow>(
      `WITH RECURSIVE tree(id, depth) AS (
         SELECT id, 1 FROM posts WHERE in_reply_to = $1
         UNION ALL
         SELECT c.id, t.depth + 1 FROM tree t JOIN posts c ON c.in_reply_to = t.id WHERE t.depth < $2)
       SELECT ${POST_COLUMNS} FROM tree t JOIN posts p ON p.id = t.id ORDER BY p.created_at, p.id LIMIT $3`,
      [postId, MAX_DEPTH, limit],
    );
  }

  likedPosts(username: string, before: TimeCursor | null, limit: number): Promise<LikedPost[]> {
    const [likedAt, postId] = before ?? [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    return this.store.query<LikedPost>(
      `SELECT ${POST_COLUMNS}, l.created_at AS liked_at FROM likes l JOIN posts p ON p.id = l.post_id
       WHERE lower(l.username) = lower($1) AND (l.created_at, l.post_id) < ($2, $3)
       ORDER BY l.created_at DESC, l.post_id DESC LIMIT $4`,
      [username, likedAt, postId, limit],
    );
  }

  async likedAt(username: string, postId: number): Promise<number | undefined> {
    return (await this.store.one<{ created_at: number }>('SELECT created_at FROM likes WHERE lower(username) = lower($1) AND post_id = $2', [username, postId]))
      ?.created_at;
  }

  private async inWindow(source: string, postId: number, { maxId, sinceId, minId, limit }: IdRange): Promise<AccountProfile[]> {
    const rows = await this.store.query<AccountProfile>(
      `SELECT ${PROFILE_COLUMNS} FROM (${source}) x JOIN accounts a ON lower(a.username) = lower(x.username)
         ${AUTHOR_STATS_JOIN}
       WHERE x.post = $1 AND ($2::bigint IS NULL OR a.id < $2) AND ($3::bigint IS NULL OR a.id > $3)
       ORDER BY a.id ${minId === null ? 'DESC' : 'ASC'} LIMIT $4`,
      [postId, maxId, minId ?? sinceId, limit],
    );
    return minId === null ? rows : rows.reverse();
  }
}
