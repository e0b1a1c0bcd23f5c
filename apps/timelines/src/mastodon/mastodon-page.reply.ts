import type { FastifyReply } from 'fastify';
import { IdRange, mastodonLink } from '@app/common';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Answers a page rendered as JSON, with its `Link` header (none on an empty page). */
export function withLink(reply: FastifyReply, origin: string, path: string, range: IdRange, page: { ids: number[]; json: string }): string {
  const link = mastodonLink(origin, path, page.ids, range.limit);
  if (link) reply.header('Link', link);
  reply.type(JSON_TYPE);
  return page.json;
}

/** Answers an empty list (what a filter this system has nothing for selects). */
export function emptyList(reply: FastifyReply): string {
  reply.type(JSON_TYPE);
  return '[]';
}

/** Sets a page of items' `Link` header (none on an empty page) and answers the items. */
export function withAccountsLink<T>(reply: FastifyReply, origin: string, path: string, range: IdRange, ids: number[], items: T[]): T[] {
  const link = mastodonLink(origin, path, ids, range.limit);
  if (link) reply.header('Link', link);
  return items;
}
