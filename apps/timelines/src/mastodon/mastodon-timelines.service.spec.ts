import { Test } from '@nestjs/testing';
import { POSTS_REPOSITORY, PostRow, TimeCursor } from '../posts/posts.repository';
import { postRow } from '../posts/post-row.fixture';
import { ACCOUNTS_REPOSITORY } from '../user-directory/accounts.repository';
import { UserDirectory } from '../user-directory/user-directory';
import { MastodonTimelinesService } from './mastodon-timelines.service';
import { STATUS_READS_REPOSITORY } from './status-reads.repository';
import { StatusRenderer } from './status.renderer';

/** Ten public posts whose time order differs from their id order for 4 and 5 (an import's old timestamps). */
const TIMES: Record<number, number> = { 1: 100, 2: 200, 3: 300, 4: 600, 5: 500, 6: 700, 7: 800, 8: 900, 9: 1000, 10: 1100 };
const post = (id: number): PostRow => postRow(id, { created_at: TIMES[id] });
const ALL = Object.keys(TIMES).map(Number).map(post);
const below =
  ([c, i]: TimeCursor) =>
  (row: PostRow) =>
    row.created_at < c || (row.created_at === c && row.id < i);
const above =
  ([c, i]: TimeCursor) =>
  (row: PostRow) =>
    row.created_at > c || (row.created_at === c && row.id > i);
const newestFirst = (a: PostRow, b: PostRow) => b.created_at - a.created_at || b.id - a.id;
let existing = ALL;

/** The timelines' order by time, then id, as the repositories keep it; deleted posts are gone from `existing`. */
const posts = {
  publicTimeline: jest.fn(async (before: TimeCursor | null, limit: number) =>
    existing
      .filter((row) => before === null || below(before)(row))
      .sort(newestFirst)
      .slice(0, limit),
  ),
};
const reads = {
  newer: jest.fn(async (_scope: unknown, after: TimeCursor, limit: number) =>
    existing
      .filter(above(after))
      .sort((a, b) => -newestFirst(a, b))
      .slice(0, limit),
  ),
  positionOf: jest.fn(async (id: number, bound: 'upper' | 'lower'): Promise<TimeCursor | null> => {
    const row = existing.find((candidate) => candidate.id === id);
    if (row) return [row.created_at, row.id];
    const older = existing.filter((candidate) => candidate.id < id).sort((a, b) => b.id - a.id)[0];
    return older ? [older.created_at, bound === 'upper' ? older.id + 1 : older.id] : null;
  }),
};
const renderer = { renderJson: jest.fn(async (rows: PostRow[]) => JSON.stringify(rows.map((row) => String(row.id)))) };

describe("MastodonTimelinesService: Mastodon ids over the timelines' order", () => {
  let service: MastodonTimelinesService;
  const ids = async (range: Partial<{ maxId: number; sinceId: number; minId: number; limit: number }>) =>
    (await service.publicTimeline({ maxId: null, sinceId: null, minId: null, limit: 3, ...range }, null, 'http://x')).ids;

  beforeEach(async () => {
    existing = ALL;
    const moduleRef = await Test.createTestingModule({
      providers: [
        MastodonTimelinesService,
        { provide: POSTS_REPOSITORY, useValue: posts },
        { provide: STATUS_READS_REPOSITORY, useValue: reads },
        { provide: ACCOUNTS_REPOSITORY, useValue: {} },
        { provide: UserDirectory, useValue: {} },
        { provide: StatusRenderer, useValue: renderer },
      ],
    }).compile();
    service = moduleRef.get(MastodonTimelinesService);
  });

  it('reads the newest page, then below max_id, in time order', async () => {
    expect(await ids({})).toEqual([10, 9, 8]);
    expect(await ids({ maxId: 6 })).toEqual([4, 5, 3]);
    expect(await ids({ maxId: 4 })).toEqual([5, 3, 2]);
  });

  it("walks every post once by following max_id from each page's last id", async () => {
    const seen: number[] = [];
    for (let page = await ids({}); page.length > 0; page = await ids({ maxId: page[page.length - 1] })) seen.push(...page);
    expect(seen).toEqual([10, 9, 8, 7, 6, 4, 5, 3, 2, 1]);
  });

  it('answers since_id with the newest posts above it, and min_id with the page just above it, newest first', async () => {
    expect(await ids({ sinceId: 8 })).toEqual([10, 9]);
    expect(await ids({ sinceId: 2 })).toEqual([10, 9, 8]);
    expect(await ids({ minId: 2 })).toEqual([4, 5, 3]);
    expect(await ids({ minId: 5, maxId: 7 })).toEqual([6, 4]);
    expect(await ids({ minId: 10 })).toEqual([]);
  });

  it("places a deleted status's id by the nearest older post", async () => {
    existing = ALL.filter((row) => row.id !== 7);
    expect(await ids({ maxId: 7 })).toEqual([6, 4, 5]);
    expect(await ids({ minId: 7, limit: 2 })).toEqual([9, 8]);
  });
});
