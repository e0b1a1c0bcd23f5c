import type { FastifyReply } from 'fastify';

/**
 * A list answer's `next` link is also sent as `Link: <…>; rel="next"`. Run from Fastify's
 * preSerialization hook: a Nest interceptor would put an rxjs pipeline on every request.
 */
export function setLinkHeader(reply: FastifyReply, payload: unknown): void {
  const next = (payload as { next?: unknown } | null)?.next;
  if (typeof next === 'string') reply.header('Link', `<${next}>; rel="next"`);
}
