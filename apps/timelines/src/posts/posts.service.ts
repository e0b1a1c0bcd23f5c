import { Inject, Injectable } from '@nestjs/common';
import { Tx } from '@app/database';
import { OUTBOX, Outbox, POST_EVENTS } from '@app/events';
import { badRequest, forbidden, notFound, PageRequest } from '@app/common';
import { AuthUser } from '@app/auth';
import { postCreatedEvent, postLikedEvent } from './post.events';
import { decodeTimeCursor, toPostList } from './post-page';
import { PostList, PostView, toPostView } from './post.view';
import { POSTS_REPOSITORY, PostRow, PostsRepository } from './posts.repository';
import { USER_ROLES, UserRoles } from './user-roles';

export interface LikeState {
  id: number;
  liked: boolean;
  likes: number;
}

/**
 * Every rule about posts. Each write and the checks it depends on (existence, ownership,
 * the repost's root) run in one write transaction, so another replica cannot change the
 * post between the check and the write.
 */
@Injectable()
export class PostsService {
  constructor(
    @Inject(POSTS_REPOSITORY) private readonly posts: PostsRepository,
    @Inject(USER_ROLES) private readonly roles: UserRoles,
    @Inject(OUTBOX) private readonly events: Outbox,
  ) {}

  async create(author: AuthUser, message: string): Promise<PostView> {
    const row = await this.posts.writeTransaction(async (tx) =>
      this.created(tx, await this.posts.insert(tx, { username: author.username, message, createdAt: Date.now(), repostOf: null, inReplyTo: null })),
    );
    return toPostView(row);
  }

  async get(id: number): Promise<PostView> {
    return toPostView(await this.require(id));
  }

  async edit(user: AuthUser, id: number, message: string): Promise<PostView> {
    return toPostView(
      await this.posts.writeTransaction(async (tx) => {
        const post = await this.require(id);
        if (!ownedBy(post, user)) throw forbidden(`post ${id} belongs to another user`);
        if (post.repost_of !== null) throw badRequest('a repost cannot be edited');
        const edited = await this.posts.updateMessage(tx, id, message, Date.now());
        await this.events.record(tx, POST_EVENTS.edited, { id, username: edited.username, message, editedAt: new Date(edited.edited_at!).toISOString() });
        return edited;
      }),
    );
  }

  /** The author deletes their post; an admin (moderation) deletes anyone's, by their role now. */
  async delete(user: AuthUser, id: number): Promise<void> {
    // The role is asked for only when someone deletes another's post, and before the
    // transaction: no lock is held while users answers.
    const admin = ownedBy(await this.require(id), user) ? false : await this.roles.isAdmin(user);
    await this.posts.writeTransaction(async (tx) => {
      const post = await this.require(id);
      if (!ownedBy(post, user) && !admin) throw forbidden(`post ${id} belongs to another user`);
      await this.posts.delete(tx, id);
      // One event: consumers delete what the cascade deleted here (its comments, reposts, likes).
      await this.events.record(tx, POST_EVENTS.deleted, { id, username: post.username, by: user.username });
    });
  }

  /** The user's repost of the post's original (a repost of a repost reposts the original), made unless it exists. */
  async repost(user: AuthUser, id: number): Promise<{ post: PostView; created: boolean }> {
    const { row, created } = await this.posts.writeTransaction(async (tx) => {
      const target = await this.require(id);
      const root = target.repost_of === null ? target : await this.require(target.repost_of);
      const existing = await this.posts.findRepost(root.id, user.username);
      if (existing) return { row: existing, created: false };
      const row = await this.created(
        tx,
        await this.posts.insert(tx, { username: user.username, message: root.message, createdAt: Date.now(), repostOf: root.id, inReplyTo: null }),
      );
      return { row, created: true };
    });
    return { post: toPostView(row), created };
  }

  async like(user: AuthUser, id: number): Promise<LikeState> {
    const likes = await this.posts.writeTransaction(async (tx) => {
      await this.require(id);
      const at = Date.now();
      const { likes, changed } = await this.posts.addLike(tx, id, user.username, at);
      if (changed) await this.events.record(tx, POST_EVENTS.liked, postLikedEvent(id, user.username, at));
      return likes;
    });
    return { id, liked: true, likes };
  }

  async unlike(user: AuthUser, id: number): Promise<LikeState> {
    const likes = await this.posts.writeTransaction(async (tx) => {
      await this.require(id);
      const { likes, changed } = await this.posts.removeLike(tx, id, user.username);
      if (changed) await this.events.record(tx, POST_EVENTS.unliked, { postId: id, username: user.username });
      return likes;
    });
    return { id, liked: false, likes };
  }

  async comment(user: AuthUser, id: number, message: string): Promise<PostView> {
    const row = await this.posts.writeTransaction(async (tx) => {
      await this.require(id);
      return this.created(tx, await this.posts.insert(tx, { username: user.username, message, createdAt: Date.now(), repostOf: null, inReplyTo: id }));
    });
    return toPostView(row);
  }

  async comments(id: number, page: PageRequest): Promise<PostList> {
    const after = decodeTimeCursor(page);
    await this.require(id);
    return toPostList(await this.posts.comments(id, after, page.limit + 1), page);
  }

  /** Records post.created for a post (a post, a repost or a comment) just inserted. */
  private async created(tx: Tx, row: PostRow): Promise<PostRow> {
    await this.events.record(tx, POST_EVENTS.created, postCreatedEvent(row));
    return row;
  }

  private async require(id: number): Promise<PostRow> {
    const post = await this.posts.findById(id);
    if (!post) throw notFound(`post ${id} does not exist`);
    return post;
  }
}

function ownedBy(post: PostRow, user: AuthUser): boolean {
  return post.username.toLowerCase() === user.username.toLowerCase();
}
