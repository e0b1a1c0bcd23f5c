import type { EventType } from './event-payloads';

/** What every event on the bus looks like (the contract's "Events"). */
export interface DomainEvent<T = Record<string, unknown>> {
  /** The producer's outbox id: increasing in commit order, the same on every delivery. */
  id: string;
  type: string;
  occurredAt: string;
  data: T;
}

/** The stream each producer writes. */
export const STREAMS = { users: 'users', timelines: 'timelines' } as const;
export type StreamName = (typeof STREAMS)[keyof typeof STREAMS];

export const USER_EVENTS = {
  registered: 'user.registered',
  updated: 'user.updated',
  credentialsChanged: 'user.credentials-changed',
  roleChanged: 'user.role-changed',
  followed: 'user.followed',
  unfollowed: 'user.unfollowed',
  /** An OAuth token was issued; the event names it by its digest only (credentialDigest). */
  tokenIssued: 'user.token-issued',
  tokenRevoked: 'user.token-revoked',
} as const satisfies Record<string, EventType>;

export const POST_EVENTS = {
  created: 'post.created',
  edited: 'post.edited',
  deleted: 'post.deleted',
  liked: 'post.liked',
  unliked: 'post.unliked',
} as const satisfies Record<string, EventType>;
