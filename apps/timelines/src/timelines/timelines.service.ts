import { Inject, Injectable } from '@nestjs/common';
import { notFound, PageRequest } from '@app/common';
import { AuthUser } from '@app/auth';
import { decodeTimeCursor, PostRowPage, toPostRowPage } from '../posts/post-page';
import { POSTS_REPOSITORY, PostsRepository } from '../posts/posts.repository';
import { Caller } from '../users-client/users.client';
import { UserDirectory } from '../user-directory/user-directory';

@Injectable()
export class TimelinesService {
  constructor(
    @Inject(POSTS_REPOSITORY) private readonly posts: PostsRepository,
    private readonly users: UserDirectory,
  ) {}

  async publicTimeline(page: PageRequest): Promise<PostRowPage> {
    return toPostRowPage(await this.posts.publicTimeline(decodeTimeCursor(page), page.limit + 1), page);
  }

  /**
   * A user's posts and reposts. Posts are read locally; only when there are none does the
   * directory tell an account with no posts (200, empty) from no account at all (404).
   */
  async userTimeline(username: string, page: PageRequest, caller: Caller): Promise<PostRowPage> {
    const rows = await this.posts.userTimeline(username, decodeTimeCursor(page), page.limit + 1);
    if (rows.length === 0 && !(await this.users.userExists(username, caller))) {
      throw notFound(`user ${username} does not exist`);
    }
    return toPostRowPage(rows, page);
  }

  /** The user's own posts and those of everyone they follow (from the read model of users' events). */
  async homeTimeline(user: AuthUser, page: PageRequest, caller: Caller): Promise<PostRowPage> {
    const before = decodeTimeCursor(page);
    const following = await this.users.following(user.username, caller);
    return toPostRowPage(await this.posts.homeTimeline([user.username, ...following], before, page.limit + 1), page);
  }
}
