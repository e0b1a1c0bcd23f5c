import { IdRange } from '@app/common';
import { AccountProfile } from '../user-directory/accounts.repository';
import { PostRow, TimeCursor } from '../posts/posts.repository';

/** Whose posts a timeline holds: everyone's (the public timeline), one author's, or some authors' (home). */
export type TimelineScope = { kind: 'public' } | { kind: 'user'; username: string } | { kind: 'home'; authors: string[] };

/** A post the user liked, with when. */
export interface LikedPost extends PostRow {
  liked_at: number;
}

export interface ViewerState {
  liked: number[];
  reposted: number[];
}

/** Injection token of the StatusReadsRepository adapter. */
export const STATUS_READS_REPOSITORY = Symbol('StatusReadsRepository');

/**
 * What Mastodon's views read beyond the native API's pages: posts by id, the viewer's likes and
 * reposts among them, who liked or reposted a post, a comment tree, the pages just above a
 * status (Mastodon's `min_id`), a user's likes. Reads only.
 */
export interface StatusReadsRepository {
  findByIds(ids: readonly number[]): Promise<PostRow[]>;
  /** Where the status `id` sits in the timelines' order; a deleted one's nearest older post (its id + 1, so the bound is exclusive of nothing that exists). */
  positionOf(id: number, bound: 'upper' | 'lower'): Promise<TimeCursor | null>;
  /** The timeline's `limit` oldest posts above `after`, oldest first. */
  newer(scope: TimelineScope, after: TimeCursor, limit: number): Promise<PostRow[]>;
  /** Of these posts, those `username` liked and those they reposted (one read). */
  viewerState(username: string, ids: readonly number[]): Promise<ViewerState>;
  /** The accounts that liked (or reposted) the post, by account id in the window, newest id first. */
  likers(postId: number, window: IdRange): Promise<AccountProfile[]>;
  reposters(postId: number, window: IdRange): Promise<AccountProfile[]>;
  /** Every comment below the post, at any depth, oldest first (at most `limit`). */
  descendants(postId: number, limit: number): Promise<PostRow[]>;
  /** The user's likes, newest like first, below the like `before` (its time and post id). */
  likedPosts(username: string, before: TimeCursor | null, limit: number): Promise<LikedPost[]>;
  /** When `username` liked the post, if they do. */
  likedAt(username: string, postId: number): Promise<number | undefined>;
}
