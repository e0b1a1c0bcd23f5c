import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@app/auth';
import {
  IdRange,
  listParam,
  MastodonAccount,
  mastodonNotFound,
  MastodonStatus,
  mastodonUnprocessable,
  MESSAGE_RULES,
  profileToAccount,
  textParam,
  textProblem,
} from '@app/common';
import { PostsService } from '../posts/posts.service';
import { POSTS_REPOSITORY, PostRow, PostsRepository } from '../posts/posts.repository';
import { AccountProfile } from '../user-directory/accounts.repository';
import { STATUS_READS_REPOSITORY, StatusReadsRepository } from './status-reads.repository';
import { StatusRenderer, Viewer } from './status.renderer';

/** How far up a reply's ancestors are followed, and how many descendants a context lists. */
const MAX_ANCESTORS = 40;
const MAX_DESCENDANTS = 4096;

/** What Mastodon offers on a new status and this system does not: each a 422 that names it. */
function unsupported(params: Record<string, unknown>): string | null {
  if (listParam(params, 'media_ids').length > 0) return 'media attachments are not supported';
  // A form sends a poll as poll[options][]=…, JSON as {"poll": {…}}.
  if (Object.keys(params).some((key) => (key === 'poll' || key.startsWith('poll[')) && params[key] !== null && params[key] !== ''))
    return 'polls are not supported';
  const visibility = textParam(params, 'visibility');
  if (visibility !== undefined && visibility !== 'public') return `visibility ${visibility} is not supported: every status is public`;
  if (textParam(params, 'spoiler_text') !== undefined) return 'content warnings (spoiler_text) are not supported';
  const sensitive = textParam(params, 'sensitive');
  if (sensitive !== undefined && !['false', '0'].includes(sensitive)) return 'sensitive statuses are not supported';
  if (textParam(params, 'scheduled_at') !== undefined) return 'scheduled statuses are not supported';
  return null;
}

/** The text of a status, by the same rules as a native post's message. */
function statusText(params: Record<string, unknown>): string {
  const text = typeof params.status === 'string' ? params.status : (textParam(params, 'status') ?? '');
  const problem = textProblem('status', text, MESSAGE_RULES);
  if (problem) throw mastodonUnprocessable(problem);
  return text;
}

/**
 * Statuses are the posts: every write goes through PostsService (the native API's rules,
 * events and transactions), and every answer is a view of the same rows.
 */
@Injectable()
export class MastodonStatusesService {
  constructor(
    private readonly posts: PostsService,
    @Inject(POSTS_REPOSITORY) private readonly rows: PostsRepository,
    @Inject(STATUS_READS_REPOSITORY) private readonly reads: StatusReadsRepository,
    private readonly renderer: StatusRenderer,
  ) {}

  async create(user: AuthUser, params: Record<string, unknown>, origin: string): Promise<MastodonStatus> {
    const refused = unsupported(params);
    if (refused) throw mastodonUnprocessable(refused);
    const text = statusText(params);
    const replyTo = textParam(params, 'in_reply_to_id');
    if (replyTo !== undefined && !/^\d{1,15}$/.test(replyTo)) throw mastodonNotFound();
    const post = replyTo === undefined ? await this.posts.create(user, text) : await this.posts.comment(user, Number(replyTo), text);
    return this.status(post.id, user, origin);
  }

  async status(id: number, viewer: Viewer, origin: string): Promise<MastodonStatus> {
    return this.renderer.one(await this.existing(id), viewer, origin);
  }

  /** Mastodon's edit (PUT): the text only, by the native edit's rules. */
  async edit(user: AuthUser, id: number, params: Record<string, unknown>, origin: string): Promise<MastodonStatus> {
    const refused = unsupported(params);
    if (refused) throw mastodonUnprocessable(refused);
    await this.posts.edit(user, id, statusText(params));
    return this.status(id, user, origin);
  }

  /** Deletes the status (by the native rules) and answers it as it was, with its `text` for "delete and redraft". */
  async delete(user: AuthUser, id: number, origin: string): Promise<MastodonStatus> {
    const row = await this.existing(id);
    const before = await this.renderer.one(row, user, origin);
    await this.posts.delete(user, id);
    return { ...before, text: row.message };
  }

  async context(id: number, viewer: Viewer, origin: string): Promise<{ ancestors: MastodonStatus[]; descendants: MastodonStatus[] }> {
    const post = await this.existing(id);
    const ancestors: PostRow[] = [];
    for (let parent = post.in_reply_to; parent !== null && ancestors.length < MAX_ANCESTORS;) {
      const row = await this.rows.findById(parent);
      if (!row) break;
      ancestors.unshift(row);
      parent = row.in_reply_to;
    }
    const descendants = await this.reads.descendants(id, MAX_DESCENDANTS);
    const [before, after] = await Promise.all([this.renderer.render(ancestors, viewer, origin), this.renderer.render(descendants, viewer, origin)]);
    return { ancestors: before, descendants: after };
  }

  async favourite(user: AuthUser, id: number, origin: string): Promise<MastodonStatus> {
    await this.posts.like(user, await this.originalId(id));
    return this.status(id, user, origin);
  }

  async unfavourite(user: AuthUser, id: number, origin: string): Promise<MastodonStatus> {
    await this.posts.unlike(user, await this.originalId(id));
    return this.status(id, user, origin);
  }

  /** The user's reblog: a status of its own (the native repost) with the original in `reblog`. */
  async reblog(user: AuthUser, id: number, origin: string): Promise<MastodonStatus> {
    const { post } = await this.posts.repost(user, id);
    return this.status(post.id, user, origin);
  }

  /** Takes the user's reblog back; answers the original. */
  async unreblog(user: AuthUser, id: number, origin: string): Promise<MastodonStatus> {
    const original = await this.originalId(id);
    const repost = await this.rows.findRepost(original, user.username);
    if (repost) await this.posts.delete(user, repost.id);
    return this.status(original, user, origin);
  }

  async favouritedBy(id: number, range: IdRange, origin: string): Promise<AccountPage> {
    return accountPage(await this.reads.likers(await this.originalId(id), range), origin);
  }

  async rebloggedBy(id: number, range: IdRange, origin: string): Promise<AccountPage> {
    return accountPage(await this.reads.reposters(await this.originalId(id), range), origin);
  }

  /** A reblog's likes and reblogs are its original's (as Mastodon's). */
  private async originalId(id: number): Promise<number> {
    const row = await this.existing(id);
    return row.repost_of ?? row.id;
  }

  private async existing(id: number): Promise<PostRow> {
    const row = await this.rows.findById(id);
    if (!row) throw mastodonNotFound();
    return row;
  }
}

/** A page of accounts and the ids its Link header pages by. */
export interface AccountPage {
  accounts: MastodonAccount[];
  ids: number[];
}

function accountPage(profiles: AccountProfile[], origin: string): AccountPage {
  return { accounts: profiles.map((profile) => profileToAccount(profile, origin)), ids: profiles.map((profile) => profile.id) };
}
