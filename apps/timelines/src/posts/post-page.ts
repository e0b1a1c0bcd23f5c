import { Cursor, PageRequest, toPage } from '@app/common';
import { PostList, toPostView } from './post.view';
import { PostRow, TimeCursor } from './posts.repository';

/** Where a list of posts resumes: null for the first page; a malformed cursor is a 400. */
export function decodeTimeCursor(page: PageRequest): TimeCursor | null {
  return page.cursor === undefined ? null : Cursor.decode<TimeCursor>(page.cursor, ['number', 'number']);
}

/** A page of posts from up to `limit + 1` rows, its next link resuming after the last one. */
export function toPostList(rows: PostRow[], page: PageRequest): PostList {
  const { items, next } = toPage(rows, page, toPostView, (row) => [row.created_at, row.id]);
  return { posts: items, next };
}
