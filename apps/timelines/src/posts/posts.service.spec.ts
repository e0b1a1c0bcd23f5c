import { Tx } from '@app/database';
import { Test } from '@nestjs/testing';
import { OUTBOX } from '@app/events';
import { ProblemException } from '@app/common';
import { NewPost, POSTS_REPOSITORY, PostRow, PostsRepository } from './posts.repository';
import { PostsService } from './posts.service';
import { postRow } from './post-row.fixture';
import { USER_ROLES } from './user-roles';

const row = (id: number, fields: Partial<PostRow> = {}): PostRow => postRow(id, { created_at: 1_000 + id, ...fields });

/**
 * A stand-in repository over a Map that records whether each write ran inside
 * writeTransaction, so the tests see that every check and its write are one transaction.
 */
/** What the stub's transaction hands its work (the stores' own value is theirs alone). */
const STUB_TX = {} as Tx;

class StubPosts implements PostsRepository {
  readonly rows = new Map<number, PostRow>();
  readonly writesOutsideTransaction: string[] = [];
  private inTransaction = false;
  private nextId = 100;

  async writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    this.inTransaction = true;
    try {
      return await work(STUB_TX);
    } finally {
      this.inTransaction = false;
    }
  }
  findById = jest.fn(async (id: number) => this.rows.get(id));
  findRepost = jest.fn(async (originalId: number, username: string) =>
    [...this.rows.values()].find((r) => r.repost_of === originalId && r.username.toLowerCase() === username.toLowerCase()),
  );
  insert = jest.fn(async (_tx: Tx, post: NewPost) => {
    this.write('insert');
    const created = row(this.nextId++, {
      username: post.username,
      message: post.message,
      created_at: post.createdAt,
      repost_of: post.repostOf,
      in_reply_to: post.inReplyTo,
    });
    this.rows.set(created.id, created);
    return created;
  });
  updateMessage = jest.fn(async (_tx: Tx, id: number, message: string, editedAt: number) => {
    this.write('updateMessage');
    const updated = { ...this.rows.get(id)!, message, edited_at: editedAt };
    this.rows.set(id, updated);
    return updated;
  });
  delete = jest.fn(async (_tx: Tx, id: number) => {
    this.write('delete');
    this.rows.delete(id);
  });
  addLike = jest.fn(async () => (this.write('addLike'), { likes: 1, changed: true }));
  removeLike = jest.fn(async () => (this.write('removeLike'), { likes: 0, changed: true }));
  publicTimeline = jest.fn(async (): Promise<PostRow[]> => []);
  userTimeline = jest.fn(async (): Promise<PostRow[]> => []);
  homeTimeline = jest.fn(async (): Promise<PostRow[]> => []);
  comments = jest.fn(async (): Promise<PostRow[]> => []);

  private write(name: string) {
    if (!this.inTransaction) this.writesOutsideTransaction.push(name);
  }
}

const status = async (work: () => Promise<unknown>): Promise<number | null> => {
  try {
    await work();
    return null;
  } catch (error) {
    return (error as ProblemException).getStatus();
  }
};

describe('PostsService', () => {
  let service: PostsService;
  let posts: StubPosts;
  const admins = new Set<string>();
  const outbox = { record: jest.fn() };
  const roles = { isAdmin: jest.fn(async (user: { username: string }) => admins.has(user.username)) };
  const ann = { id: 1, username: 'ann' };
  const bob = { id: 2, username: 'bob' };

  beforeEach(async () => {
    posts = new StubPosts();
    admins.clear();
    roles.isAdmin.mockClear();
    outbox.record.mockClear();
    posts.rows.set(1, row(1, { username: 'Ann' }));
    posts.rows.set(2, row(2, { username: 'bob', repost_of: 1, message: 'post 1' }));
    const moduleRef = await Test.createTestingModule({
      providers: [
        PostsService,
        { provide: POSTS_REPOSITORY, useValue: posts },
        { provide: USER_ROLES, useValue: roles },
        { provide: OUTBOX, useValue: outbox },
      ],
    }).compile();
    service = moduleRef.get(PostsService);
  });

  afterEach(() => expect(posts.writesOutsideTransaction).toEqual([]));

  it('lets only the author (in any letter case) edit, and never a repost', async () => {
    expect(await status(() => service.edit(bob, 1, 'mine now'))).toBe(403);
    expect(posts.updateMessage).not.toHaveBeenCalled();
    expect((await service.edit({ id: 1, username: 'ANN' }, 1, 'edited')).message).toBe('edited');
    expect(await status(() => service.edit(bob, 2, 'edit a repost'))).toBe(400);
    expect(await status(() => service.edit(ann, 404, 'x'))).toBe(404);
  });

  it('deletes the author’s post without asking for a role; 404 for a post that is gone', async () => {
    await service.delete({ id: 1, username: 'ANN' }, 1);
    expect(posts.rows.has(1)).toBe(false);
    expect(roles.isAdmin).not.toHaveBeenCalled();
    expect(await status(() => service.delete(ann, 1))).toBe(404);
  });

  it('lets an admin, by the current role and not a claim, delete anyone’s post', async () => {
    expect(await status(() => service.delete({ ...bob, role: 'admin' }, 1))).toBe(403);
    expect(posts.rows.has(1)).toBe(true);
    admins.add('bob');
    await service.delete({ ...bob, role: 'user' }, 1);
    expect(posts.rows.has(1)).toBe(false);
    expect(roles.isAdmin).toHaveBeenCalledTimes(2);
  });

  it('reposts the original when asked to repost a repost, once per user', async () => {
    const first = await service.repost(ann, 2);
    expect(first.created).toBe(true);
    expect(first.post.repost).toBe('/posts/1');
    expect(first.post.message).toBe('post 1');
    const again = await service.repost({ id: 1, username: 'ANN' }, 1);
    expect(again).toEqual({ post: first.post, created: false });
    expect(posts.insert).toHaveBeenCalledTimes(1);
    expect(await status(() => service.repost(ann, 999))).toBe(404);
  });

  it('likes, unlikes and comments only on posts that exist', async () => {
    expect(await service.like(bob, 1)).toEqual({ id: 1, liked: true, likes: 1 });
    expect(await service.unlike(bob, 1)).toEqual({ id: 1, liked: false, likes: 0 });
    expect(await status(() => service.like(bob, 999))).toBe(404);
    expect(await status(() => service.unlike(bob, 999))).toBe(404);
    expect(posts.addLike).toHaveBeenCalledTimes(1);
    const comment = await service.comment(bob, 1, 'nice');
    expect(comment).toMatchObject({ inReplyTo: 1, username: 'bob', message: 'nice', repost: null });
    expect(await status(() => service.comment(bob, 999, 'nice'))).toBe(404);
    expect(outbox.record.mock.calls.map(([, type]) => type)).toEqual(['post.liked', 'post.unliked', 'post.created']);
    expect(outbox.record.mock.calls[2][2]).toMatchObject({ id: comment.id, inReplyTo: 1, username: 'bob' });
  });

  it('lists comments of an existing post only, and refuses a bad cursor with 400', async () => {
    expect(await service.comments(1, { limit: 20, cursor: undefined, path: '/posts/1/comments' })).toEqual({ posts: [], next: null });
    expect(await status(() => service.comments(999, { limit: 20, cursor: undefined, path: '/posts/999/comments' }))).toBe(404);
    expect(await status(() => service.comments(1, { limit: 20, cursor: 'bm90LWpzb24', path: '/posts/1/comments' }))).toBe(400);
  });
});
