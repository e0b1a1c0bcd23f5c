import { Tx } from '@app/database';

/** The width of a posts_per_hour bucket, in ms (its migrations divide created_at by it). */
export const HOUR = 3_600_000;

/** A post as the monitor keeps it. */
export interface MonitorPostRow {
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
}

export interface NewMonitorPost {
  id: number;
  username: string;
  message: string;
  createdAt: number;
  repostOf: number | null;
  inReplyTo: number | null;
}

export type Counter = 'likes' | 'reposts' | 'replies';

export interface ActivityEntry {
  postId: number;
  kind: 'like' | 'repost' | 'comment';
  actor: string;
  at: number;
  source: number | null;
}

export interface Totals {
  users: number;
  posts: number;
  likes: number;
  follows: number;
}

/** Injection token of the ActivityRepository adapter. */
export const ACTIVITY_REPOSITORY = Symbol('ActivityRepository');

/**
 * The monitor's copy of posts and likes and the activity each post received: written by the
 * timelines-stream consumer inside its transaction, read by the figures. Decides nothing.
 */
export interface ActivityRepository {
  /** Whether the post is new (a replayed post.created changes nothing). */
  insertPost(tx: Tx, post: NewMonitorPost): Promise<boolean>;
  parentsOf(id: number): Promise<{ repost_of: number | null; in_reply_to: number | null } | undefined>;
  edit(tx: Tx, id: number, message: string, editedAt: number): Promise<void>;
  /** Deletes the post; the cascade takes what hung from it. */
  delete(tx: Tx, id: number): Promise<void>;
  count(tx: Tx, counter: Counter, by: number, id: number): Promise<void>;
  /** Whether the like is new. */
  addLike(tx: Tx, postId: number, username: string): Promise<boolean>;
  /** Whether there was a like to remove. */
  removeLike(tx: Tx, postId: number, username: string): Promise<boolean>;
  addActivity(tx: Tx, entry: ActivityEntry): Promise<void>;
  removeLikeActivity(tx: Tx, postId: number, actor: string): Promise<void>;
  /** Forgets every post, like and activity (the timelines stream holds another history). */
  clear(tx: Tx): Promise<void>;

  /** Original posts (no comments, no reposts) by what they received since `since`, then newest. */
  trending(since: number, limit: number): Promise<Array<MonitorPostRow & { score: number }>>;
  totals(): Promise<Totals>;
  mostActive(since: number, limit: number): Promise<Array<{ username: string; posts: number }>>;
  postsPerMinute(since: number): Promise<Array<{ minute: number; posts: number }>>;
}
