import { Inject, Injectable } from '@nestjs/common';
import { Statement } from 'better-sqlite3';
import { badRequest } from '@app/common';
import { SQL_STORE, SqliteStore } from '@app/database';
import { TimelinesStreamConsumer } from './timelines-stream.consumer';
import { UsersStreamConsumer } from './users-stream.consumer';

export const WINDOWS: Record<string, number> = { '1h': 3_600_000, '24h': 86_400_000 };
const TRENDING_SIZE = 20;

interface PostRow {
  id: number;
  username: string;
  message: string;
  created_at: number;
  edited_at: number | null;
  repost_of: number | null;
  in_reply_to: number | null;
  likes: number;
  reposts: number;
  replies: number;
  score: number;
}

export interface TrendingPost {
  id: number;
  username: string;
  message: string;
  timestamp: string;
  repost: string | null;
  inReplyTo: number | null;
  likes: number;
  reposts: number;
  replies: number;
  editedAt: string | null;
  url: string;
  score: number;
}

export interface Stats {
  users: number;
  posts: number;
  likes: number;
  follows: number;
  activeUsers: Array<{ username: string; posts: number }>;
  lag: { users: number | null; timelines: number | null };
}

/** The monitor's figures, all from its own database. */
@Injectable()
export class ActivityService {
  private readonly trendingQuery: Statement<[number, number], PostRow>;
  private readonly totals: Statement<[], { users: number; posts: number; likes: number; follows: number }>;
  private readonly active: Statement<[number], { username: string; posts: number }>;
  private readonly perMinute: Statement<[number], { minute: number; posts: number }>;

  constructor(
    @Inject(SQL_STORE) private readonly store: SqliteStore,
    private readonly users: UsersStreamConsumer,
    private readonly timelines: TimelinesStreamConsumer,
  ) {
    const { db } = store;
    // Original posts only (no comments, no reposts), scored by what they received in the window.
    this.trendingQuery = db.prepare(
      `SELECT p.*, COUNT(*) AS score FROM activity a JOIN posts p ON p.id = a.post_id
       WHERE a.at >= ? AND p.in_reply_to IS NULL AND p.repost_of IS NULL
       GROUP BY p.id ORDER BY score DESC, p.created_at DESC, p.id DESC LIMIT ?`,
    );
    this.totals = db.prepare(
      `SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM posts) AS posts,
              (SELECT COUNT(*) FROM likes) AS likes, (SELECT COUNT(*) FROM follows) AS follows`,
    );
    this.active = db.prepare(
      `SELECT username, COUNT(*) AS posts FROM posts WHERE created_at >= ?
       GROUP BY lower(username) ORDER BY posts DESC, lower(username) LIMIT 10`,
    );
    this.perMinute = db.prepare(
      'SELECT created_at / 60000 AS minute, COUNT(*) AS posts FROM posts WHERE created_at >= ? GROUP BY minute ORDER BY minute',
    );
  }

  windowOf(raw: unknown): string {
    const window = raw === undefined ? '1h' : raw;
    if (typeof window !== 'string' || !(window in WINDOWS)) throw badRequest('window must be 1h or 24h');
    return window;
  }

  async trending(window: string): Promise<{ window: string; posts: TrendingPost[] }> {
    const rows = await this.store.use(() => this.trendingQuery.all(Date.now() - WINDOWS[window], TRENDING_SIZE));
    return { window, posts: rows.map(toTrendingPost) };
  }

  async stats(): Promise<Stats> {
    const [totals, activeUsers] = await this.store.use(() => [this.totals.get()!, this.active.all(Date.now() - WINDOWS['24h'])] as const);
    return {
      ...totals,
      activeUsers,
      lag: { users: this.users.state().lagMs, timelines: this.timelines.state().lagMs },
    };
  }

  /** Posts per minute over the last hour, oldest first, every minute present. */
  async postsPerMinute(now = Date.now()): Promise<Array<{ minute: number; posts: number }>> {
    const first = Math.floor(now / 60_000) - 59;
    const counts = new Map((await this.store.use(() => this.perMinute.all(first * 60_000))).map((row) => [row.minute, row.posts]));
    return Array.from({ length: 60 }, (_, i) => ({ minute: first + i, posts: counts.get(first + i) ?? 0 }));
  }
}

function toTrendingPost(row: PostRow): TrendingPost {
  return {
    id: row.id,
    username: row.username,
    message: row.message,
    timestamp: new Date(row.created_at).toISOString(),
    repost: row.repost_of === null ? null : `/posts/${row.repost_of}`,
    inReplyTo: row.in_reply_to,
    likes: row.likes,
    reposts: row.reposts,
    replies: row.replies,
    editedAt: row.edited_at === null ? null : new Date(row.edited_at).toISOString(),
    url: `/posts/${row.id}`,
    score: row.score,
  };
}
