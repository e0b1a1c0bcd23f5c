import { Test } from '@nestjs/testing';
import { AccountProfile, ACCOUNTS_REPOSITORY } from '../user-directory/accounts.repository';
import { UsersClient } from '../users-client/users.client';
import { PostRow } from '../posts/posts.repository';
import { postRow } from '../posts/post-row.fixture';
import { STATUS_READS_REPOSITORY } from './status-reads.repository';
import { StatusRenderer, Viewer } from './status.renderer';

const ORIGIN = 'http://social.example';
const post = (id: number, username: string, more: Partial<PostRow> = {}): PostRow => postRow(id, { username, ...more });
const profile = (id: number, username: string): AccountProfile => ({
  id,
  username,
  bio: `I am ${username}`,
  created_at: '2026-01-01T00:00:00.000Z',
  followers: 1,
  following: 2,
  statuses: 3,
  last_status_at: null,
});
const ann: Viewer = { id: 1, username: 'ann' };
const bob: Viewer = { id: 2, username: 'bob' };

describe('StatusRenderer: pages of statuses as JSON', () => {
  let renderer: StatusRenderer;
  /** Posts the reads find by id: originals of reposts. */
  let stored: PostRow[];
  /** Who liked which post. */
  let likes: Record<string, number[]>;
  const reads = {
    findByIds: jest.fn(async (ids: readonly number[]) => stored.filter((row) => ids.includes(row.id))),
    viewerState: jest.fn(async (username: string, ids: readonly number[]) => ({
      liked: (likes[username] ?? []).filter((id) => ids.includes(id)),
      reposted: [],
    })),
  };
  const accounts = { profiles: jest.fn(async (names: readonly string[]) => names.map((name) => profile(name.charCodeAt(0), name))) };

  beforeEach(async () => {
    stored = [];
    likes = {};
    jest.clearAllMocks();
    const moduleRef = await Test.createTestingModule({
      providers: [
        StatusRenderer,
        { provide: STATUS_READS_REPOSITORY, useValue: reads },
        { provide: ACCOUNTS_REPOSITORY, useValue: accounts },
        { provide: UsersClient, useValue: { profile: jest.fn(async () => null) } },
      ],
    }).compile();
    renderer = moduleRef.get(StatusRenderer);
  });

  it('answers the same statuses as rendering them, in the rows’ order, each with its author and the original of a repost', async () => {
    stored = [post(1, 'cy')];
    const rows = [post(3, 'dan', { likes: 2 }), post(2, 'eve', { repost_of: 1 })];
    const json = String(await renderer.renderJson(rows, null, ORIGIN));
    expect(JSON.parse(json)).toEqual(await renderer.render(rows, null, ORIGIN));
    const [first, second] = JSON.parse(json);
    expect(first).toMatchObject({ id: '3', favourites_count: 2, account: { username: 'dan' }, content: '<p>post 3</p>' });
    expect(second).toMatchObject({ id: '2', account: { username: 'eve' }, reblog: { id: '1', account: { username: 'cy' } } });
  });

  it("shows each viewer their own likes on a page that several read, and reads the page's state once per viewer", async () => {
    likes = { ann: [5] };
    const rows = [post(5, 'dan'), post(4, 'dan')];
    const forAnn = JSON.parse(String(await renderer.renderJson(rows, ann, ORIGIN)));
    const forBob = JSON.parse(String(await renderer.renderJson(rows, bob, ORIGIN)));
    expect(forAnn.map((status: { favourited: boolean }) => status.favourited)).toEqual([true, false]);
    expect(forBob.map((status: { favourited: boolean }) => status.favourited)).toEqual([false, false]);
    expect(await renderer.renderJson(rows, ann, ORIGIN)).toBe(JSON.stringify(forAnn));
    expect(reads.viewerState).toHaveBeenCalledTimes(2);
  });

  it('renders rows read anew (after a write) from their new state, and a status shared by two pages alike on both', async () => {
    const before = [post(7, 'dan'), post(6, 'eve')];
    expect(JSON.parse(String(await renderer.renderJson(before, null, ORIGIN)))[1]).toMatchObject({ id: '6', favourites_count: 0 });
    const after = [post(8, 'dan'), post(7, 'dan'), post(6, 'eve', { likes: 1 })];
    const page = JSON.parse(String(await renderer.renderJson(after, null, ORIGIN)));
    expect(page.map((status: { id: string }) => status.id)).toEqual(['8', '7', '6']);
    expect(page[2]).toMatchObject({ id: '6', favourites_count: 1 });
    const other = JSON.parse(String(await renderer.renderJson([post(9, 'fay'), after[1]], null, ORIGIN)));
    expect(other[1]).toEqual(page[1]);
  });

  it('keeps a page read twice without a token whole, as the bytes sent, until its rows are read anew', async () => {
    const rows = [post(5, 'dan'), post(4, 'eve')];
    const first = await renderer.renderJson(rows, null, ORIGIN);
    expect(typeof first).toBe('string');
    const page = await renderer.renderJson(rows, null, ORIGIN);
    expect(Buffer.isBuffer(page)).toBe(true);
    expect(String(page)).toBe(first);
    expect(await renderer.renderJson(rows, null, ORIGIN)).toBe(page);
    expect(JSON.parse(String(page))).toEqual(await renderer.render(rows, null, ORIGIN));
    const liked = [post(5, 'dan', { likes: 3 }), rows[1]];
    expect(JSON.parse(String(await renderer.renderJson(liked, null, ORIGIN)))[0]).toMatchObject({ id: '5', favourites_count: 3 });
    // A signed-in reader's page is joined for each request (their likes are on it).
    expect(typeof (await renderer.renderJson(rows, ann, ORIGIN))).toBe('string');
  });

  it('answers an empty page as an empty list', async () => {
    expect(await renderer.renderJson([], ann, ORIGIN)).toBe('[]');
  });
});
