import { postRoutesWithoutIdempotency } from '@app/idempotency';
import { AuthController } from '../apps/users/src/auth/auth.controller';
import { InternalController } from '../apps/users/src/users/internal.controller';
import { UsersController } from '../apps/users/src/users/users.controller';
import { PostsController } from '../apps/timelines/src/posts/posts.controller';
import { TimelinesController } from '../apps/timelines/src/timelines/timelines.controller';

describe('Idempotency-Key on every POST route (the contract)', () => {
  it('has every POST handler of every service marked @Idempotent()', () => {
    expect(postRoutesWithoutIdempotency([UsersController, AuthController, InternalController, PostsController, TimelinesController])).toEqual([]);
  });

  it('would notice a POST handler without it', () => {
    class Unmarked {}
    const { Post } = jest.requireActual('@nestjs/common') as typeof import('@nestjs/common');
    Object.defineProperty(Unmarked.prototype, 'create', { value: function create() {}, writable: true });
    Post()(Unmarked.prototype, 'create', Object.getOwnPropertyDescriptor(Unmarked.prototype, 'create')!);
    expect(postRoutesWithoutIdempotency([Unmarked])).toEqual(['Unmarked.create']);
  });
});
