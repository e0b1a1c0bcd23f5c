import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@app/auth';
import { IdRange, mastodonNotFound } from '@app/common';
import { POSTS_REPOSITORY, PostRow, PostsRepository, TimeCursor } from '../posts/posts.repository';
import { ACCOUNTS_REPOSITORY, AccountsRepository } from '../user-directory/accounts.repository';
import { UserDirectory } from '../user-directory/user-directory';
import { Caller } from '../users-client/users.client';
import { STATUS_READS_REPOSITORY, StatusReadsRepository, TimelineScope } from './status-reads.repository';
import { StatusRenderer, Viewer } from './status.renderer';

/** A page of statuses, as its JSON answer (text, or the bytes of one kept whole), and the ids its Link header pages by. */
export interface StatusPage {
  json: string | Buffer;
  ids: number[];
}

/**
 * Mastodon's timelines over the native ones: the same posts in the same order (newest first
 * by time, then id). Mastodon pages by status id; an id names its post's place in that order
 * (`max_id`: below it, `since_id`: above it, `min_id`: the page just above it), so
 * following `next` visits every status once while others post, as the native cursor does.
 */
@Injectable()
export class MastodonTimelinesService {
  constructor(
    @Inject(POSTS_REPOSITORY) private readonly posts: PostsRepository,
    @Inject(STATUS_READS_REPOSITORY) private readonly reads: StatusReadsRepository,
    @Inject(ACCOUNTS_REPOSITORY) private readonly accounts: AccountsRepository,
    private readonly directory: UserDirectory,
    private readonly renderer: StatusRenderer,
  ) {}

  async home(user: AuthUser, range: IdRange, caller: Caller, origin: string): Promise<StatusPage> {
    const following = await this.directory.following(user.username, caller);
    return this.page({ kind: 'home', authors: [user.username, ...following] }, range, user, origin);
  }

  publicTimeline(range: IdRange, viewer: Viewer, origin: string): Promise<StatusPage> {
    return this.page({ kind: 'public' }, range, viewer, origin);
  }

  async accountStatuses(accountId: number, range: IdRange, viewer: Viewer, origin: string): Promise<StatusPage> {
    const account = await this.accounts.profileById(accountId);
    if (!account) throw mastodonNotFound();
    return this.page({ kind: 'user', username: account.username }, range, viewer, origin);
  }

  /** The user's favourites, newest favourite first; pages by the status ids, each naming when it was liked. */
  async favourites(user: AuthUser, range: IdRange, origin: string): Promise<StatusPage> {
    const likedAt = range.maxId === null ? undefined : await this.reads.likedAt(user.username, range.maxId);
    const before: TimeCursor | null = likedAt === undefined ? null : [likedAt, range.maxId!];
    const rows = await this.reads.likedPosts(user.username, before, range.limit);
    return this.view(rows, user, origin);
  }

  private async page(scope: TimelineScope, range: IdRange, viewer: Viewer, origin: string): Promise<StatusPage> {
    return this.view(await this.rowsOf(scope, range), viewer, origin);
  }

  private async rowsOf(scope: TimelineScope, { maxId, sinceId, minId, limit }: IdRange): Promise<PostRow[]> {
    const upper = maxId === null ? null : await this.reads.positionOf(maxId, 'upper');
    if (maxId !== null && upper === null) return [];
    if (minId !== null) {
      const lower = await this.reads.positionOf(minId, 'lower');
      const rows = lower === null ? await this.oldest(scope, limit) : await this.reads.newer(scope, lower, limit);
      return rows.filter((row) => upper === null || isBelow(row, upper)).reverse();
    }
    const rows = await this.newest(scope, upper, limit);
    if (sinceId === null) return rows;
    const lower = await this.reads.positionOf(sinceId, 'lower');
    return lower === null ? rows : rows.filter((row) => !isBelow(row, lower) && !isAt(row, lower));
  }

  /** The native timelines' own pages: the same queries (and caches) as /timelines/…. */
  private newest(scope: TimelineScope, before: TimeCursor | null, limit: number): Promise<PostRow[]> {
    switch (scope.kind) {
      case 'public':
        return this.posts.publicTimeline(before, limit);
      case 'user':
        return this.posts.userTimeline(scope.username, before, limit);
      case 'home':
        return this.posts.homeTimeline(scope.authors, before, limit);
    }
  }

  /** `min_id` below every post: the timeline's oldest page. */
  private oldest(scope: TimelineScope, limit: number): Promise<PostRow[]> {
    return this.reads.newer(scope, [-Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER], limit);
  }

  private async view(rows: PostRow[], viewer: Viewer, origin: string): Promise<StatusPage> {
    return { json: await this.renderer.renderJson(rows, viewer, origin), ids: rows.map((row) => row.id) };
  }
}

function isBelow(row: PostRow, [createdAt, id]: TimeCursor): boolean {
  return row.created_at < createdAt || (row.created_at === createdAt && row.id < id);
}

function isAt(row: PostRow, [createdAt, id]: TimeCursor): boolean {
  return row.created_at === createdAt && row.id === id;
}
