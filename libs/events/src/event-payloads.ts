import type { Tx } from '@app/database';

/**
 * Every event's payload, by type: the one definition producers record and consumers read
 * (the contract's "Events"). A payload mistake between services is a compile error.
 *
 * Version 1. Members may be added (consumers ignore what they do not know); changing or
 * removing one is a new version, which consumers must read beside the old until every
 * stream's history has been rewritten.
 */
export const EVENT_PAYLOADS_VERSION = 1;

export interface EventPayloads {
  /** A new account (init-db imports one per seeded user, without email or hash). */
  'user.registered': { id: number; username: string; bio: string; role: string; credentialsVersion: number; createdAt: string };
  'user.updated': { id: number; username: string; bio: string };
  /** The password changed: every credential of an older version stops working. */
  'user.credentials-changed': { id: number; username: string; credentialsVersion: number };
  'user.role-changed': { id: number; username: string; role: string };
  'user.followed': FollowPayload;
  'user.unfollowed': FollowPayload;
  /** An OAuth token was issued; named by its digest only (credentialDigest), never the token. */
  'user.token-issued': { tokenId: number; digest: string; userId: number | null; appId: number; scopes: string; credentialsVersion: number | null };
  'user.token-revoked': { tokenId: number; digest: string };
  /** A post, a repost (repostOf) or a comment (inReplyTo). */
  'post.created': { id: number; username: string; message: string; repostOf: number | null; inReplyTo: number | null; createdAt: string };
  'post.edited': { id: number; username: string; message: string; editedAt: string };
  /** One event for the post and everything its deletion cascaded to (comments, reposts, likes). */
  'post.deleted': { id: number; username: string; by: string };
  'post.liked': { postId: number; username: string; likedAt: string };
  'post.unliked': { postId: number; username: string };
}

export interface FollowPayload {
  followerId: number;
  follower: string;
  followeeId: number;
  followee: string;
}

export type EventType = keyof EventPayloads;

/** A consumer's handlers: each event type it keeps something of, with its payload typed. */
export type EventHandlers = { [T in EventType]?: (data: EventPayloads[T], tx: Tx) => Promise<void> };
