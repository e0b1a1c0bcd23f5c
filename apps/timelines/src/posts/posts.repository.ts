import { Tx } from '@app/database';

/** What the timelines service stores, and how the service reads and writes it: the port. */
export interface PostRow {
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

export interface NewPost {
  username: string;
  message: string;
  createdAt: number;
  repostOf: number | null;
  inReplyTo: number | null;
}

/** Where a page resumes: the (created_at, id) of the last post seen. */
export type TimeCursor = [createdAt: number, id: number];

export interface LikeCount {
  likes: number;
  changed: boolean;
}

/** A PostRow's columns over `posts p`: the same SQL on both stores. */
export const POST_COLUMNS = 'p.id, p.username, p.message, p.created_at, p.edited_at, p.repost_of, p.in_reply_to, p.likes, p.reposts, p.replies';

/** Injection token of the PostsRepository adapter. */
export const POSTS_REPOSITORY = Symbol('PostsRepository');

/**
 * Reads and writes posts and likes; decides nothing. The service runs each rule and its
 * writes inside one `writeTransaction`, so a check and the write it allows are atomic even
 * with several replicas writing.
 */
export interface PostsRepository {
  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;

  findById(id: number): Promise<PostRow | undefined>;
  /** The repost of `originalId` by `username` (any case), if there is one. */
  findRepost(originalId: number, username: string): Promise<PostRow | undefined>;
  insert(tx: Tx, post: NewPost): Promise<PostRow>;
  updateMessage(tx: Tx, id: number, message: string, editedAt: number): Promise<PostRow>;
  delete(tx: Tx, id: number): Promise<void>;

  /** Adds the like unless it exists; the post's like count afterwards, and whether it was new. */
  addLike(tx: Tx, postId: number, username: string, at: number): Promise<LikeCount>;
  /** Removes the like if it exists; the post's like count afterwards, and whether there was one. */
  removeLike(tx: Tx, postId: number, username: string): Promise<LikeCount>;

  publicTimeline(before: TimeCursor | null, limit: number): Promise<PostRow[]>;
  userTimeline(username: string, before: TimeCursor | null, limit: number): Promise<PostRow[]>;
  homeTimeline(authors: string[], before: TimeCursor | null, limit: number): Promise<PostRow[]>;
  comments(postId: number, after: TimeCursor | null, limit: number): Promise<PostRow[]>;
}
