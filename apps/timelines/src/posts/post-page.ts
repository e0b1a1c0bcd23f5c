import { Cursor, PageRequest, toPage } from '@app/common';
import { PostList, toPostView } from './post.view';
import { PostRow, TimeCursor } from './posts.repository';

/** A page of posts as rows, before they are turned into the answer. */
export interface PostRowPage {
  rows: readonly PostRow[];
  next: string | null;
}

/** Where a list of posts resumes: null for the first page; a malformed cursor is a 400. */
export function decodeTimeCursor(page: PageRequest): TimeCursor | null {
  return page.cursor === undefined ? null : Cursor.decode<TimeCursor>(page.cursor, ['number', 'number']);
}

/** A page of rows from up to `limit + 1` of them, its next link resuming after the last one. */
export function toPostRowPage(rows: PostRow[], page: PageRequest): PostRowPage {
  const { items, next } = toPage(
    rows,
    page,
    (row) => row,
    (row) => [row.created_at, row.id],
  );
  return { rows: items, next };
}

/** A page of posts from up to `limit + 1` rows, its next link resuming after the last one. */
export function toPostList(rows: PostRow[], page: PageRequest): PostList {
  const { rows: shown, next } = toPostRowPage(rows, page);
  return { posts: shown.map(toPostView), next };
}
