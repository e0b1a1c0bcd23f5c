/**
 * Mastodon's OAuth scopes: `read`, `write`, `follow`, `push` and `profile`, and the finer
 * `read:…`/`write:…` ones; a top-level scope grants every finer one under it, and `follow`
 * grants the finer scopes of the follow graph (Mastodon's `spec/oauth.md`).
 */
export const TOP_LEVEL_SCOPES = ['read', 'write', 'follow', 'push', 'profile'] as const;

const FINER_SCOPES = [
  'read:accounts',
  'read:blocks',
  'read:bookmarks',
  'read:favourites',
  'read:filters',
  'read:follows',
  'read:lists',
  'read:mutes',
  'read:notifications',
  'read:search',
  'read:statuses',
  'write:accounts',
  'write:blocks',
  'write:bookmarks',
  'write:conversations',
  'write:favourites',
  'write:filters',
  'write:follows',
  'write:lists',
  'write:media',
  'write:mutes',
  'write:notifications',
  'write:reports',
  'write:statuses',
];

export const KNOWN_SCOPES: ReadonlySet<string> = new Set([...TOP_LEVEL_SCOPES, ...FINER_SCOPES]);

const GRANTED_BY_FOLLOW = new Set(['read:follows', 'write:follows', 'read:blocks', 'write:blocks', 'read:mutes', 'write:mutes']);

/** What Mastodon assumes when an app or a token request names no scope. */
export const DEFAULT_SCOPES = ['read'];

/** Scopes as sent: space-separated (OAuth 2), also `+` or commas as some apps send them. */
export function parseScopes(text: string | undefined): string[] {
  if (text === undefined) return [];
  return [...new Set(text.split(/[\s+,]+/).filter(Boolean))];
}

/** Whether holding `held` allows what `required` names. */
export function scopeGrants(held: readonly string[], required: string): boolean {
  if (held.includes(required)) return true;
  const [family] = required.split(':');
  if (family !== required && held.includes(family)) return true;
  return held.includes('follow') && GRANTED_BY_FOLLOW.has(required);
}

/** Whether a route that takes any of `required` is open to a token of `held` (none required: any token). */
export function scopesAllow(held: readonly string[], required: readonly string[]): boolean {
  return required.length === 0 || required.some((scope) => scopeGrants(held, scope));
}
