import type { FastifyReply } from 'fastify';
import { PostListRenderer } from './post-list.renderer';
import { postRow } from './post-row.fixture';
import { toPostList, toPostRowPage } from './post-page';

describe('PostListRenderer', () => {
  const page = { limit: 2, cursor: undefined, path: '/timelines/public' };
  const rows = [
    postRow(3, { username: 'ann', message: 'say "hi"\n\u00e9\u2028', created_at: 30, likes: 4, edited_at: 35 }),
    postRow(2, { username: 'bob', message: 'a repost', created_at: 20, repost_of: 1 }),
    postRow(1, { username: 'cy', message: 'first', created_at: 10 }),
  ];

  it('renders the same page as the schema serialiser would, next link included', () => {
    const json = new PostListRenderer().json(toPostRowPage(rows, page));
    expect(JSON.parse(json)).toEqual(toPostList(rows, page));
    expect(JSON.parse(json).next).toMatch(/^\/timelines\/public\?limit=2&cursor=/);
    expect(JSON.parse(new PostListRenderer().json(toPostRowPage([], page)))).toEqual({ posts: [], next: null });
  });

  it('renders a row once, and a changed post (a new row with the same id) anew', () => {
    const renderer = new PostListRenderer();
    const first = renderer.json({ rows, next: null });
    expect(renderer.json({ rows: [...rows], next: null })).toBe(first);
    const liked = { ...rows[0], likes: 5 };
    const after = JSON.parse(renderer.json({ rows: [liked, rows[1]], next: null })) as { posts: Array<{ id: number; likes: number }> };
    expect(after.posts.map((post) => [post.id, post.likes])).toEqual([
      [3, 5],
      [2, 0],
    ]);
  });

  it('answers with the JSON content type and the next page as a Link header', () => {
    const reply = { header: jest.fn(), type: jest.fn() };
    const rowPage = toPostRowPage(rows, page);
    const body = new PostListRenderer().reply(reply as unknown as FastifyReply, rowPage);
    expect(reply.type).toHaveBeenCalledWith('application/json; charset=utf-8');
    expect(reply.header).toHaveBeenCalledWith('Link', `<${rowPage.next}>; rel="next"`);
    expect(JSON.parse(body)).toEqual(toPostList(rows, page));
  });
});
