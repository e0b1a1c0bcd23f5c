import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { badRequest } from './problem';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** What a client asked for: a page size, where to resume, and the path its next link repeats. */
export interface PageRequest {
  limit: number;
  cursor: string | undefined;
  path: string;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

type CursorPart = 'string' | 'number';

/** Cursors are opaque to clients: base64url of a JSON array of the last item's sort key. */
export const Cursor = {
  encode(values: Array<string | number>): string {
    return Buffer.from(JSON.stringify(values)).toString('base64url');
  },
  decode<T extends Array<string | number>>(cursor: string, shape: CursorPart[]): T {
    let values: unknown;
    try {
      values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw badRequest('cursor is not valid');
    }
    const fits =
      Array.isArray(values) &&
      values.length === shape.length &&
      values.every((value, i) => (shape[i] === 'number' ? Number.isSafeInteger(value) : typeof value === 'string'));
    if (!fits) throw badRequest('cursor is not valid');
    return values as T;
  },
};

export function parsePageRequest(query: Record<string, unknown>, path: string): PageRequest {
  const { limit, cursor } = query;
  let size = DEFAULT_PAGE_SIZE;
  if (limit !== undefined) {
    if (typeof limit !== 'string' || !/^\d{1,3}$/.test(limit) || +limit < 1 || +limit > MAX_PAGE_SIZE) {
      throw badRequest(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
    size = Number(limit);
  }
  if (cursor !== undefined && (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]{1,512}$/.test(cursor))) {
    throw badRequest('cursor is not valid');
  }
  return { limit: size, cursor: cursor as string | undefined, path };
}

/** The `limit` and `cursor` query parameters, checked before the handler runs. */
export const PageQuery = createParamDecorator((_: unknown, context: ExecutionContext): PageRequest => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const path = request.url.split('?', 1)[0];
  return parsePageRequest(request.query as Record<string, unknown>, path);
});

/**
 * Builds a page from up to `limit + 1` rows read after the cursor: the extra row only tells
 * whether a next page exists.
 */
export function toPage<Row, Item>(rows: Row[], request: PageRequest, toItem: (row: Row) => Item, cursorOf: (row: Row) => Array<string | number>): Page<Item> {
  const hasMore = rows.length > request.limit;
  const pageRows = hasMore ? rows.slice(0, request.limit) : rows;
  const next = hasMore ? `${request.path}?limit=${request.limit}&cursor=${Cursor.encode(cursorOf(pageRows[pageRows.length - 1]))}` : null;
  return { items: pageRows.map(toItem), next };
}
