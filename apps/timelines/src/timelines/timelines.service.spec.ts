import { Test } from '@nestjs/testing';
import { ProblemException, serviceUnavailable } from '@app/common';
import { POSTS_REPOSITORY, PostRow } from '../posts/posts.repository';
import { postRow } from '../posts/post-row.fixture';
import { UserDirectory } from '../user-directory/user-directory';
import { TimelinesService } from './timelines.service';

const post = (id: number, username: string): PostRow => postRow(id, { username, message: 'm', created_at: id * 10 });

describe('TimelinesService', () => {
  const caller = { clientAddress: '127.0.0.1', requestId: 'r1' };
  const page = (path: string, limit = 2) => ({ limit, cursor: undefined, path });
  const posts = { publicTimeline: jest.fn(), userTimeline: jest.fn(), homeTimeline: jest.fn() };
  const users = { userExists: jest.fn(), following: jest.fn() };
  let service: TimelinesService;

  beforeEach(async () => {
    jest.resetAllMocks();
    const moduleRef = await Test.createTestingModule({
      providers: [TimelinesService, { provide: POSTS_REPOSITORY, useValue: posts }, { provide: UserDirectory, useValue: users }],
    }).compile();
    service = moduleRef.get(TimelinesService);
  });

  it('answers a user timeline from the posts alone when there are any', async () => {
    posts.userTimeline.mockReturnValue([post(3, 'ann')]);
    const list = await service.userTimeline('ann', page('/timelines/users/ann'), caller);
    expect(list.rows.map((row) => row.id)).toEqual([3]);
    expect(users.userExists).not.toHaveBeenCalled();
  });

  it('asks users only for an empty timeline: 200 empty for an account, 404 for nobody', async () => {
    posts.userTimeline.mockReturnValue([]);
    users.userExists.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    await expect(service.userTimeline('quiet', page('/timelines/users/quiet'), caller)).resolves.toEqual({ rows: [], next: null });
    await expect(service.userTimeline('nobody', page('/timelines/users/nobody'), caller)).rejects.toMatchObject({ detail: 'user nobody does not exist' });
  });

  it('reads the home timeline of the reader and everyone they follow, one more row than the page', async () => {
    users.following.mockResolvedValue(['bob', 'cy']);
    posts.homeTimeline.mockReturnValue([post(3, 'bob'), post(2, 'ann'), post(1, 'cy')]);
    const list = await service.homeTimeline({ id: 1, username: 'ann' }, page('/timelines/home'), caller);
    expect(posts.homeTimeline).toHaveBeenCalledWith(['ann', 'bob', 'cy'], null, 3);
    expect(list.rows.map((row) => row.id)).toEqual([3, 2]);
    expect(list.next).toMatch(/^\/timelines\/home\?limit=2&cursor=/);
  });

  it('passes on a 503 when users cannot say whom the reader follows', async () => {
    users.following.mockRejectedValue(serviceUnavailable('users is down'));
    const failure = service.homeTimeline({ id: 1, username: 'ann' }, page('/timelines/home'), caller);
    await expect(failure).rejects.toBeInstanceOf(ProblemException);
    await expect(failure).rejects.toMatchObject({ status: 503 });
    expect(posts.homeTimeline).not.toHaveBeenCalled();
  });
});
