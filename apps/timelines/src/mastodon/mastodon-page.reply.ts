import type { FastifyReply } from 'fastify';
import { IdRange, JSON_CONTENT_TYPE, setMastodonLink } from '@app/common';

/** Answers a page rendered as JSON, with its `Link` header (none on an empty page). */
export function withLink(reply: FastifyReply, origin: string, path: string, range: IdRange, page: { ids: number[]; json: string | Buffer }): string | Buffer {
  setMastodonLink(reply, origin, path, page.ids, range.limit);
  reply.type(JSON_CONTENT_TYPE);
  return page.json;
}

/** Answers an empty list (what a filter this system has nothing for selects). */
export function emptyList(reply: FastifyReply): string {
  reply.type(JSON_CONTENT_TYPE);
  return '[]';
}
