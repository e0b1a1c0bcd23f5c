import { Inject, Injectable } from '@nestjs/common';
import { SQL_STORE, SqlStore } from '@app/database';
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
    [POST_EVENTS.created]: (post) => this.created(post),
    [POST_EVENTS.edited]: ({ id, message, editedAt }) => this.activity.edit(id, message, Date.parse(editedAt)),
    [POST_EVENTS.deleted]: ({ id }) => this.deleted(id),
    [POST_EVENTS.liked]: async ({ postId, username, likedAt }) => {
      if ((await this.activity.parentsOf(postId)) && (await this.activity.addLike(postId, username))) {
        await this.activity.count('likes', 1, postId);
        await this.activity.addActivity({ postId, kind: 'like', actor: username, at: Date.parse(likedAt), source: null });
      }
    },
    [POST_EVENTS.unliked]: async ({ postId, username }) => {
      if (await this.activity.removeLike(postId, username)) {
        await this.activity.count('likes', -1, postId);
        await this.activity.removeLikeActivity(postId, username);
      }
    },
  };

  protected forget(): Promise<void> {
    return this.activity.clear();
  }

  private async created(post: Created): Promise<void> {
    // A parent the monitor never saw (events of a database older than its outbox) is dropped, not invented.
    const repostOf = post.repostOf !== null && (await this.activity.parentsOf(post.repostOf)) ? post.repostOf : null;
    const inReplyTo = post.inReplyTo !== null && (await this.activity.parentsOf(post.inReplyTo)) ? post.inReplyTo : null;
    const at = Date.parse(post.createdAt);
    const inserted = await this.activity.insertPost({ id: post.id, username: post.username, message: post.message, createdAt: at, repostOf, inReplyTo });
    if (!inserted) return;
    if (repostOf !== null) {
      await this.activity.count('reposts', 1, repostOf);
      await this.activity.addActivity({ postId: repostOf, kind: 'repost', actor: post.username, at, source: post.id });
    }
    if (inReplyTo !== null) {
      await this.activity.count('replies', 1, inReplyTo);
      await this.activity.addActivity({ postId: inReplyTo, kind: 'comment', actor: post.username, at, source: post.id });
    }
  }

  private async deleted(id: number): Promise<void> {
    const post = await this.activity.parentsOf(id);
    if (!post) return;
    await this.activity.delete(id);
    if (post.repost_of !== null) await this.activity.count('reposts', -1, post.repost_of);
    if (post.in_reply_to !== null) await this.activity.count('replies', -1, post.in_reply_to);
  }
}
