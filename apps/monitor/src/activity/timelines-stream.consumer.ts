import { Inject, Injectable } from '@nestjs/common';
import { SQL_STORE, SqlStore, Tx } from '@app/database';
import { EventBus, EventConsumer, EventHandlers, EventPayloads, POST_EVENTS, STREAMS } from '@app/events';
import { ACTIVITY_REPOSITORY, ActivityRepository } from './activity.repository';

type Created = EventPayloads['post.created'];

/**
 * The monitor's copy of posts, likes and the activity each post received (a like, a repost,
 * a comment, with its time), kept from the `timelines` stream. Counters move as in
 * timelines; a deleted post takes, by cascade, everything that hung from it.
 */
@Injectable()
export class TimelinesStreamConsumer extends EventConsumer {
  constructor(
    @Inject(SQL_STORE) store: SqlStore,
    bus: EventBus,
    @Inject(ACTIVITY_REPOSITORY) private readonly activity: ActivityRepository,
  ) {
    super(STREAMS.timelines, store, bus);
  }

  protected override readonly handlers: EventHandlers = {
    [POST_EVENTS.created]: (post, tx) => this.created(tx, post),
    [POST_EVENTS.edited]: ({ id, message, editedAt }, tx) => this.activity.edit(tx, id, message, Date.parse(editedAt)),
    [POST_EVENTS.deleted]: ({ id }, tx) => this.deleted(tx, id),
    [POST_EVENTS.liked]: async ({ postId, username, likedAt }, tx) => {
      if ((await this.activity.parentsOf(postId)) && (await this.activity.addLike(tx, postId, username))) {
        await this.activity.count(tx, 'likes', 1, postId);
        await this.activity.addActivity(tx, { postId, kind: 'like', actor: username, at: Date.parse(likedAt), source: null });
      }
    },
    [POST_EVENTS.unliked]: async ({ postId, username }, tx) => {
      if (await this.activity.removeLike(tx, postId, username)) {
        await this.activity.count(tx, 'likes', -1, postId);
        await this.activity.removeLikeActivity(tx, postId, username);
      }
    },
  };

  protected forget(tx: Tx): Promise<void> {
    return this.activity.clear(tx);
  }

  private async created(tx: Tx, post: Created): Promise<void> {
    // A parent the monitor never saw (events of a database older than its outbox) is dropped, not invented.
    const repostOf = post.repostOf !== null && (await this.activity.parentsOf(post.repostOf)) ? post.repostOf : null;
    const inReplyTo = post.inReplyTo !== null && (await this.activity.parentsOf(post.inReplyTo)) ? post.inReplyTo : null;
    const at = Date.parse(post.createdAt);
    const inserted = await this.activity.insertPost(tx, { id: post.id, username: post.username, message: post.message, createdAt: at, repostOf, inReplyTo });
    if (!inserted) return;
    if (repostOf !== null) {
      await this.activity.count(tx, 'reposts', 1, repostOf);
      await this.activity.addActivity(tx, { postId: repostOf, kind: 'repost', actor: post.username, at, source: post.id });
    }
    if (inReplyTo !== null) {
      await this.activity.count(tx, 'replies', 1, inReplyTo);
      await this.activity.addActivity(tx, { postId: inReplyTo, kind: 'comment', actor: post.username, at, source: post.id });
    }
  }

  private async deleted(tx: Tx, id: number): Promise<void> {
    const post = await this.activity.parentsOf(id);
    if (!post) return;
    await this.activity.delete(tx, id);
    if (post.repost_of !== null) await this.activity.count(tx, 'reposts', -1, post.repost_of);
    if (post.in_reply_to !== null) await this.activity.count(tx, 'replies', -1, post.in_reply_to);
  }
}
