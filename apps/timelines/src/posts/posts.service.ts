import { Injectable } from '@nestjs/common';
import { badRequest, Cursor, forbidden, notFound, PageRequest, toPage } from '@app/common';
import { AuthUser } from '@app/auth';
import { PostList, PostView, toPostView } from './post.view';
import { PostRow, PostsRepository, TimeCursor } from './posts.repository';

export interface LikeState {
  id: number;
  liked: boolean;
  likes: number;
}

/** Post ids are positive integers; anything else names no post. */
export function parsePostId(raw: string): number {
  const id = /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) throw notFound(`post ${raw} does not exist`);
  return id;
}

export function decodeTimeCursor(page: PageRequest): TimeCursor | null {
  return page.cursor === undefined ? null : Cursor.decode<TimeCursor>(page.cursor, ['number', 'number']);
}

export function toPostList(rows: PostRow[], page: PageRequest): PostList {
  const { items, next } = toPage(rows, page, toPostView, (row) => [row.created_at, row.id]);
  return { posts: items, next };
}

@Injectable()
export class PostsService {
  constructor(private readonly posts: PostsRepository) {}

  create(author: AuthUser, message: string): PostView {
    const row = this.posts.insert({ username: author.username, message, createdAt: Date.now(), repostOf: null, inReplyTo: null });
    return toPostView(row);
  }

  get(id: number): PostView {
    return toPostView(this.require(id));
  }

  edit(user: AuthUser, id: number, message: string): PostView {
    const post = this.requireOwned(user, id);
    if (post.repost_of !== null) throw badRequest('a repost cannot be edited');
    const edited = this.posts.editMessage(id, message, Date.now());
    if (!edited) throw notFound(`post ${id} does not exist`);
    return toPostView(edited);
  }

  delete(user: AuthUser, id: number): void {
    this.requireOwned(user, id);
    this.posts.delete(id);
  }

  repost(user: AuthUser, id: number): { post: PostView; created: boolean } {
    const result = this.posts.repost(id, user.username, Date.now());
    if (!result) throw notFound(`post ${id} does not exist`);
    return { post: toPostView(result.post), created: result.created };
  }

  like(user: AuthUser, id: number): LikeState {
    const likes = this.posts.like(id, user.username, Date.now());
    if (likes === null) throw notFound(`post ${id} does not exist`);
    return { id, liked: true, likes };
  }

  unlike(user: AuthUser, id: number): LikeState {
    const likes = this.posts.unlike(id, user.username);
    if (likes === null) throw notFound(`post ${id} does not exist`);
    return { id, liked: false, likes };
  }

  comment(user: AuthUser, id: number, message: string): PostView {
    const row = this.posts.insertComment(id, user.username, message, Date.now());
    if (!row) throw notFound(`post ${id} does not exist`);
    return toPostView(row);
  }

  comments(id: number, page: PageRequest): PostList {
    const after = decodeTimeCursor(page);
    this.require(id);
    return toPostList(this.posts.comments(id, after, page.limit + 1), page);
  }

  private require(id: number): PostRow {
    const post = this.posts.findById(id);
    if (!post) throw notFound(`post ${id} does not exist`);
    return post;
  }

  private requireOwned(user: AuthUser, id: number): PostRow {
    const post = this.require(id);
    if (post.username.toLowerCase() !== user.username.toLowerCase()) {
      throw forbidden(`post ${id} belongs to another user`);
    }
    return post;
  }
}
