import { mastodonUnprocessable } from './mastodon-error';
import { textParam } from './mastodon-params';

export const MASTODON_DEFAULT_LIMIT = 20;
export const MASTODON_MAX_LIMIT = 40;

/**
 * Mastodon's paging by id: newest first below `max_id` and above `since_id`; with `min_id`,
 * the page just above it (still answered newest first). A limit out of range is clamped, as
 * Mastodon does.
 */
export interface IdRange {
  maxId: number | null;
  sinceId: number | null;
  minId: number | null;
  limit: number;
}

export interface PageLimits {
  defaultLimit: number;
  maxLimit: number;
}

/** Account lists (followers, favourited_by…): 40 by default, at most 80. */
export const ACCOUNT_PAGE_LIMITS: PageLimits = { defaultLimit: 40, maxLimit: 80 };

/** Statuses' lists: 20 by default, at most 40. */
export const STATUS_PAGE_LIMITS: PageLimits = { defaultLimit: MASTODON_DEFAULT_LIMIT, maxLimit: MASTODON_MAX_LIMIT };

export function idRange(params: Record<string, unknown>, { defaultLimit, maxLimit }: PageLimits = STATUS_PAGE_LIMITS): IdRange {
  const limitText = textParam(params, 'limit');
  const limit = limitText === undefined ? defaultLimit : Number.parseInt(limitText, 10);
  return {
    maxId: idParam(params, 'max_id'),
    sinceId: idParam(params, 'since_id'),
    minId: idParam(params, 'min_id'),
    limit: Number.isFinite(limit) ? Math.min(Math.max(limit, 1), maxLimit) : defaultLimit,
  };
}

function idParam(params: Record<string, unknown>, key: string): number | null {
  const text = textParam(params, key);
  if (text === undefined) return null;
  if (!/^\d{1,15}$/.test(text)) throw mastodonUnprocessable(`${key} must be an id`);
  return Number(text);
}

/**
 * Mastodon's `Link` header: `next` continues below the page's last id, `prev` above its
 * first; none on an empty page (pagination.rb).
 */
export function mastodonLink(origin: string, path: string, ids: readonly number[], limit: number): string | undefined {
  if (ids.length === 0) return undefined;
  // Numbers and fixed names only: nothing to escape (a URLSearchParams per link was about 1.5% of
  // a replica's CPU profile serving Mastodon's public page).
  const link = (key: string, id: number) => `${origin}${path}?limit=${limit}&${key}=${id}`;
  return `<${link('max_id', ids[ids.length - 1])}>; rel="next", <${link('min_id', ids[0])}>; rel="prev"`;
}

/** Sets a page's `Link` header on the reply (none on an empty page). */
export function setMastodonLink(
  reply: { header(name: string, value: string): unknown },
  origin: string,
  path: string,
  ids: readonly number[],
  limit: number,
): void {
  const link = mastodonLink(origin, path, ids, limit);
  if (link) reply.header('Link', link);
}
