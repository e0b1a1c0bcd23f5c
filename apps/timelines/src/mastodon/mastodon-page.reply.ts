import type { FastifyReply } from 'fastify';
import { IdRange, mastodonLink } from '@app/common';

/** Sets a page's `Link` header (none on an empty page) and answers its items. */
export function withLink<T>(reply: FastifyReply, origin: string, path: string, range: IdRange, page: { ids: number[] }, items: T[]): T[] {
  const link = mastodonLink(origin, path, page.ids, range.limit);
  if (link) reply.header('Link', link);
  return items;
}
