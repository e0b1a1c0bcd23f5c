import { EventPayloads, FollowPayload } from '@app/events';
import { UserRow } from './users.repository';

/**
 * The users service's events, built from its rows in one place: the service records these,
 * and init-db's SQL for imported accounts and follows is checked against them
 * (scripts/test/init-db.e2e-spec.ts). Events carry no email, password or hash.
 */
export function registeredEvent(user: UserRow): EventPayloads['user.registered'] {
  return { id: user.id, username: user.username, bio: user.bio, role: user.role, credentialsVersion: user.credentials_version, createdAt: user.created_at };
}

export function followEvent(follower: { id: number; username: string }, followee: { id: number; username: string }): FollowPayload {
  return { followerId: follower.id, follower: follower.username, followeeId: followee.id, followee: followee.username };
}
