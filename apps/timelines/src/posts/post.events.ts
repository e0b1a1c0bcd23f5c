import { EventPayloads } from '@app/events';
import { PostRow } from './posts.repository';

/**
 * The timelines service's events, built from its rows in one place: the service records
 * these, and init-db's SQL for imported posts and likes is checked against them
 * (scripts/test/init-db.e2e-spec.ts).
 */
export function postCreatedEvent(row: PostRow): EventPayloads['post.created'] {
  return {
    id: row.id,
    username: row.username,
    message: row.message,
    repostOf: row.repost_of,
    inReplyTo: row.in_reply_to,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export function postLikedEvent(postId: number, username: string, at: number): EventPayloads['post.liked'] {
  return { postId, username, likedAt: new Date(at).toISOString() };
}
