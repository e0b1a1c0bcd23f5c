import { Inject, Injectable } from '@nestjs/common';
import { badRequest, Clock, CLOCK } from '@app/common';
import { ACTIVITY_REPOSITORY, ActivityRepository, MonitorPostRow } from './activity.repository';
import { TimelinesStreamConsumer } from './timelines-stream.consumer';
import { UsersStreamConsumer } from './users-stream.consumer';

export const WINDOWS: Record<string, number> = { '1h': 3_600_000, '24h': 86_400_000 };
const TRENDING_SIZE = 20;
const ACTIVE_USERS = 10;

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
  constructor(
    @Inject(ACTIVITY_REPOSITORY) private readonly activity: ActivityRepository,
    private readonly users: UsersStreamConsumer,
    private readonly timelines: TimelinesStreamConsumer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  windowOf(raw: unknown): string {
    const window = raw === undefined ? '1h' : raw;
    if (typeof window !== 'string' || !(window in WINDOWS)) throw badRequest('window must be 1h or 24h');
    return window;
  }

  async trending(window: string): Promise<{ window: string; posts: TrendingPost[] }> {
    const rows = await this.activity.trending(this.clock.now() - WINDOWS[window], TRENDING_SIZE);
    return { window, posts: rows.map(toTrendingPost) };
  }

  async stats(): Promise<Stats> {
    return {
      ...(await this.activity.totals()),
      activeUsers: await this.activity.mostActive(this.clock.now() - WINDOWS['24h'], ACTIVE_USERS),
      lag: { users: this.users.state().lagMs, timelines: this.timelines.state().lagMs },
    };
  }

  /** Posts per minute over the last hour, oldest first, every minute present. */
  async postsPerMinute(now = this.clock.now()): Promise<Array<{ minute: number; posts: number }>> {
    const first = Math.floor(now / 60_000) - 59;
    const counts = new Map((await this.activity.postsPerMinute(first * 60_000)).map((row) => [row.minute, row.posts]));
    return Array.from({ length: 60 }, (_, i) => ({ minute: first + i, posts: counts.get(first + i) ?? 0 }));
  }
}

function toTrendingPost(row: MonitorPostRow & { score: number }): TrendingPost {
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
