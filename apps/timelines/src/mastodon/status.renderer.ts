import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@app/auth';
import fastJson from 'fast-json-stringify';
import { LRUCache } from 'lru-cache';
import { AccountFacts, flattened, MastodonAccount, MastodonStatus, profileToAccount, STATUS_SCHEMA, toAccount, toStatus } from '@app/common';
import { PostRow } from '../posts/posts.repository';
import { ACCOUNTS_REPOSITORY, AccountsRepository } from '../user-directory/accounts.repository';
import { UsersClient } from '../users-client/users.client';
import { STATUS_READS_REPOSITORY, StatusReadsRepository } from './status-reads.repository';

const stringifyStatus = fastJson(STATUS_SCHEMA);

/** How many viewers' renderings of one page are kept (the public page, read by everyone, between two writes). */
const VIEWERS_PER_PAGE = 64;

/** Characters of statuses' JSON kept once for every page that shows them (a status is about 1,300). */
const SHARED_STATUS_CHARACTERS = 2_000_000;

/** Who is looking: the viewer's likes and reposts show on each status. */
export type Viewer = AuthUser | null;

/**
 * Posts as Mastodon's statuses: each with its author's account, a repost with its original in
 * `reblog`, a reply with its parent's author, and the viewer's own likes and reposts. A page
 * takes a fixed number of reads (originals, parents, authors, the viewer's likes and reposts),
 * whatever its length.
 */
@Injectable()
export class StatusRenderer {
  constructor(
    @Inject(STATUS_READS_REPOSITORY) private readonly reads: StatusReadsRepository,
    @Inject(ACCOUNTS_REPOSITORY) private readonly accounts: AccountsRepository,
    private readonly users: UsersClient,
  ) {}

  /**
   * Pages already rendered, as their statuses' JSON (shared with other pages through
   * `statusJson`), by the rows they were made from. The SQLite store hands out
   * the same rows (shared, never modified) only while the database has not changed since it
   * read them, and every read of a rendering is answered from the same state, so the same rows
   * render the same JSON for the same viewer. Rows read anew (after a write; on PostgreSQL
   * every time) are a new key, and a page's renderings go with its rows.
   */
  private readonly rendered = new WeakMap<readonly PostRow[], Map<string, readonly string[]>>();

  /**
   * Each status's JSON once, however many pages show it: a page keeps its statuses' JSON by
   * reference. Most statuses stand on many home pages, and as whole pages the renderings
   * held three times the characters (200 readers' home pages on the benchmark's data).
   */
  private readonly statusJson = new LRUCache<string, string>({ maxSize: SHARED_STATUS_CHARACTERS, sizeCalculation: (json) => json.length });

  /**
   * Pages read without a token (the public page, an account's statuses), whole, as the bytes
   * sent, from their second read on (null after the first), until the next write. Joined per
   * request, a 26 KB public page was a 26 KB string to join, measure and encode every time;
   * kept from the first read, every page of the mixed workload, read about once between two
   * writes, cost a buffer of its own (its p99 rose 5-10 ms). Signed-in readers' pages are joined
   * per request: kept whole for each of them they held three times the characters of their
   * statuses.
   */
  private readonly anonymousPages = new WeakMap<readonly string[], Buffer | null>();

  /** A page of statuses as its JSON answer (Mastodon's Status list). */
  async renderJson(rows: readonly PostRow[], viewer: Viewer, origin: string): Promise<string | Buffer> {
    const key = `${viewer?.username.toLowerCase() ?? ''}\0${origin}`;
    const known = this.rendered.get(rows);
    let statuses = known?.get(key);
    if (statuses === undefined) {
      statuses = (await this.render(rows, viewer, origin)).map((status) => this.shared(stringifyStatus(status)));
      if (!known) this.rendered.set(rows, new Map([[key, statuses]]));
      else if (known.size < VIEWERS_PER_PAGE) known.set(key, statuses);
    }
    if (viewer !== null) return `[${statuses.join(',')}]`;
    const kept = this.anonymousPages.get(statuses);
    if (kept) return kept;
    const json = `[${statuses.join(',')}]`;
    if (kept === undefined) {
      this.anonymousPages.set(statuses, null);
      return json;
    }
    const page = Buffer.from(json);
    this.anonymousPages.set(statuses, page);
    return page;
  }

  /** The copy of `json` already kept, or `json`, kept from now on. */
  private shared(json: string): string {
    const kept = this.statusJson.get(json);
    if (kept !== undefined) return kept;
    const flat = flattened(json);
    this.statusJson.set(flat, flat);
    return flat;
  }

  async render(rows: readonly PostRow[], viewer: Viewer, origin: string): Promise<MastodonStatus[]> {
    if (rows.length === 0) return [];
    const posts = new Map(rows.map((row) => [row.id, row]));
    await this.include(
      posts,
      rows.map((row) => row.repost_of),
    );
    const shown = [...posts.values()];
    const parents = new Map(posts);
    await this.include(
      parents,
      shown.map((row) => row.in_reply_to),
    );
    const accounts = await this.accountsOf(
      [...parents.values()].map((row) => row.username),
      origin,
    );
    const ids = shown.map((row) => row.id);
    const state = viewer ? await this.reads.viewerState(viewer.username, ids) : { liked: [], reposted: [] };
    const likedIds = new Set(state.liked);
    const repostedIds = new Set(state.reposted);

    const statusOf = (row: PostRow): MastodonStatus => {
      const parent = row.in_reply_to === null ? undefined : parents.get(row.in_reply_to);
      const original = row.repost_of === null ? undefined : posts.get(row.repost_of);
      const state = original ?? row;
      return toStatus(
        {
          id: row.id,
          text: row.message,
          createdAt: row.created_at,
          editedAt: row.edited_at,
          account: accounts.get(row.username.toLowerCase())!,
          inReplyToId: row.in_reply_to,
          inReplyToAccountId: parent ? Number(accounts.get(parent.username.toLowerCase())!.id) : null,
          reblogs: row.reposts,
          favourites: row.likes,
          replies: row.replies,
          viewer: viewer ? { favourited: likedIds.has(state.id), reblogged: repostedIds.has(state.id) } : null,
        },
        original ? statusOf(original) : null,
      );
    };
    return rows.map(statusOf);
  }

  async one(row: PostRow, viewer: Viewer, origin: string): Promise<MastodonStatus> {
    return (await this.render([row], viewer, origin))[0];
  }

  /** Accounts by lower-cased username; an author the read model does not know yet (its event on the way) from the users service. */
  async accountsOf(usernames: readonly string[], origin: string): Promise<Map<string, MastodonAccount>> {
    const names = [...new Set(usernames.map((name) => name.toLowerCase()))];
    const found = new Map((await this.accounts.profiles(names)).map((profile) => [profile.username.toLowerCase(), profileToAccount(profile, origin)]));
    for (const name of names.filter((name) => !found.has(name))) {
      const user = await this.users.profile(name);
      const facts: AccountFacts = user ?? { id: 0, username: name, bio: '', createdAt: 0, followers: 0, following: 0 };
      found.set(name, toAccount(facts, origin));
    }
    return found;
  }

  /** Adds the posts `ids` name that `posts` does not hold yet. */
  private async include(posts: Map<number, PostRow>, ids: readonly (number | null)[]): Promise<void> {
    const missing = [...new Set(ids.filter((id): id is number => id !== null && !posts.has(id)))];
    for (const row of await this.reads.findByIds(missing)) posts.set(row.id, row);
  }
}
