import { Inject, Injectable } from '@nestjs/common';
import { Statement } from 'better-sqlite3';
import { SQL_STORE, SqliteStore } from '@app/database';
import { DomainEvent, EventBus, EventConsumer, POST_EVENTS, STREAMS } from '@app/events';

interface Created {
  id: number;
  username: string;
  message: string;
  repostOf: number | null;
  inReplyTo: number | null;
  createdAt: string;
}

/**
 * The monitor's copy of posts, likes and the activity each post received (a like, a repost,
 * a comment, with its time), kept from the `timelines` stream. Counters move as in
 * timelines; a deleted post takes, by cascade, everything that hung from it.
 */
@Injectable()
export class TimelinesStreamConsumer extends EventConsumer {
  private readonly insertPost: Statement<{ id: number; username: string; message: string; createdAt: number; repostOf: number | null; inReplyTo: number | null }>;
  private readonly exists: Statement<[number], { id: number; repost_of: number | null; in_reply_to: number | null }>;
  private readonly edit: Statement<[string, number, number]>;
  private readonly remove: Statement<[number]>;
  private readonly bump: Record<'likes' | 'reposts' | 'replies', Statement<[number, number]>>;
  private readonly addLike: Statement<[number, string]>;
  private readonly removeLike: Statement<[number, string]>;
  private readonly addActivity: Statement<{ postId: number; kind: string; actor: string; at: number; source: number | null }>;
  private readonly removeLikeActivity: Statement<[number, string]>;

  constructor(@Inject(SQL_STORE) store: SqliteStore, bus: EventBus) {
    super(STREAMS.timelines, store, bus);
    const { db } = store;
    this.insertPost = db.prepare(
      `INSERT OR IGNORE INTO posts (id, username, message, created_at, repost_of, in_reply_to)
       VALUES (@id, @username, @message, @createdAt, @repostOf, @inReplyTo)`,
    );
    this.exists = db.prepare('SELECT id, repost_of, in_reply_to FROM posts WHERE id = ?');
    this.edit = db.prepare('UPDATE posts SET message = ?, edited_at = ? WHERE id = ?');
    this.remove = db.prepare('DELETE FROM posts WHERE id = ?');
    this.bump = {
      likes: db.prepare('UPDATE posts SET likes = likes + ? WHERE id = ?'),
      reposts: db.prepare('UPDATE posts SET reposts = reposts + ? WHERE id = ?'),
      replies: db.prepare('UPDATE posts SET replies = replies + ? WHERE id = ?'),
    };
    this.addLike = db.prepare('INSERT OR IGNORE INTO likes (post_id, username) VALUES (?, ?)');
    this.removeLike = db.prepare('DELETE FROM likes WHERE post_id = ? AND username = ?');
    this.addActivity = db.prepare('INSERT INTO activity (post_id, kind, actor, at, source) VALUES (@postId, @kind, @actor, @at, @source)');
    this.removeLikeActivity = db.prepare("DELETE FROM activity WHERE post_id = ? AND kind = 'like' AND actor = ?");
  }

  // Runs inside the consumer's transaction: the statements need no gate.
  protected async apply(event: DomainEvent): Promise<void> {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case POST_EVENTS.created:
        this.created(data as unknown as Created);
        break;
      case POST_EVENTS.edited:
        this.edit.run(data.message as string, Date.parse(data.editedAt as string), data.id as number);
        break;
      case POST_EVENTS.deleted:
        this.deleted(data.id as number);
        break;
      case POST_EVENTS.liked: {
        const postId = data.postId as number;
        if (this.exists.get(postId) && this.addLike.run(postId, data.username as string).changes > 0) {
          this.bump.likes.run(1, postId);
          this.addActivity.run({ postId, kind: 'like', actor: data.username as string, at: Date.parse(data.likedAt as string), source: null });
        }
        break;
      }
      case POST_EVENTS.unliked: {
        const postId = data.postId as number;
        if (this.removeLike.run(postId, data.username as string).changes > 0) {
          this.bump.likes.run(-1, postId);
          this.removeLikeActivity.run(postId, data.username as string);
        }
        break;
      }
      default:
        break;
    }
  }

  private created(post: Created): void {
    // A parent the monitor never saw (events of a database older than its outbox) is dropped, not invented.
    const repostOf = post.repostOf !== null && this.exists.get(post.repostOf) ? post.repostOf : null;
    const inReplyTo = post.inReplyTo !== null && this.exists.get(post.inReplyTo) ? post.inReplyTo : null;
    const at = Date.parse(post.createdAt);
    const inserted = this.insertPost.run({ id: post.id, username: post.username, message: post.message, createdAt: at, repostOf, inReplyTo });
    if (inserted.changes === 0) return;
    if (repostOf !== null) {
      this.bump.reposts.run(1, repostOf);
      this.addActivity.run({ postId: repostOf, kind: 'repost', actor: post.username, at, source: post.id });
    }
    if (inReplyTo !== null) {
      this.bump.replies.run(1, inReplyTo);
      this.addActivity.run({ postId: inReplyTo, kind: 'comment', actor: post.username, at, source: post.id });
    }
  }

  private deleted(id: number): void {
    const post = this.exists.get(id);
    if (!post) return;
    this.remove.run(id);
    if (post.repost_of !== null) this.bump.reposts.run(-1, post.repost_of);
    if (post.in_reply_to !== null) this.bump.replies.run(-1, post.in_reply_to);
  }
}
