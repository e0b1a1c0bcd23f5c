import { UserRow } from '../users/users.repository';
import { DEFAULT_AVATAR_PATH, DEFAULT_HEADER_PATH } from './default-images';
import { textToHtml } from './mastodon-html';

/** Mastodon's Account entity, every field it marks as required (entities/Account.md). */
export interface MastodonAccount {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  locked: boolean;
  bot: boolean;
  group: boolean;
  discoverable: boolean;
  indexable: boolean;
  noindex: boolean;
  created_at: string;
  note: string;
  url: string;
  uri: string;
  avatar: string;
  avatar_static: string;
  header: string;
  header_static: string;
  followers_count: number;
  following_count: number;
  statuses_count: number;
  last_status_at: string | null;
  emojis: [];
  fields: [];
  roles: [];
}

/** The signed-in user's own account: with `source`, the profile as typed. */
export interface MastodonCredentialAccount extends MastodonAccount {
  source: { privacy: 'public'; sensitive: false; language: string; note: string; fields: []; follow_requests_count: 0 };
  role: { id: string; name: string; permissions: string; color: string; highlighted: boolean };
}

/** Mastodon's Relationship entity between the signed-in user and another account. */
export interface MastodonRelationship {
  id: string;
  following: boolean;
  showing_reblogs: boolean;
  notifying: boolean;
  languages: null;
  followed_by: boolean;
  blocking: false;
  blocked_by: false;
  muting: false;
  muting_notifications: false;
  requested: false;
  requested_by: false;
  domain_blocking: false;
  endorsed: false;
  note: string;
}

/** What an account has posted, as the users service knows it from timelines' events. */
export interface PostingStats {
  statuses: number;
  lastStatusAt: string | null;
}

export const NO_POSTS: PostingStats = { statuses: 0, lastStatusAt: null };

export function toAccount(row: UserRow, origin: string, stats: PostingStats = NO_POSTS): MastodonAccount {
  const url = `${origin}/@${row.username}`;
  return {
    id: String(row.id),
    username: row.username,
    acct: row.username,
    display_name: row.username,
    locked: false,
    bot: false,
    group: false,
    discoverable: true,
    indexable: true,
    noindex: false,
    created_at: new Date(row.created_at).toISOString(),
    note: textToHtml(row.bio),
    url,
    uri: url,
    avatar: origin + DEFAULT_AVATAR_PATH,
    avatar_static: origin + DEFAULT_AVATAR_PATH,
    header: origin + DEFAULT_HEADER_PATH,
    header_static: origin + DEFAULT_HEADER_PATH,
    followers_count: row.followers,
    following_count: row.following,
    statuses_count: stats.statuses,
    // Mastodon gives the day only (a date, not a time).
    last_status_at: stats.lastStatusAt === null ? null : stats.lastStatusAt.slice(0, 10),
    emojis: [],
    fields: [],
    roles: [],
  };
}

export function toCredentialAccount(row: UserRow, origin: string, stats: PostingStats = NO_POSTS): MastodonCredentialAccount {
  return {
    ...toAccount(row, origin, stats),
    source: { privacy: 'public', sensitive: false, language: '', note: row.bio, fields: [], follow_requests_count: 0 },
    role: { id: row.role === 'admin' ? '3' : '-99', name: row.role === 'admin' ? 'Admin' : '', permissions: row.role === 'admin' ? '1' : '0', color: '', highlighted: row.role === 'admin' },
  };
}

export function toRelationship(id: number, following: boolean, followedBy: boolean): MastodonRelationship {
  return {
    id: String(id),
    following,
    showing_reblogs: following,
    notifying: false,
    languages: null,
    followed_by: followedBy,
    blocking: false,
    blocked_by: false,
    muting: false,
    muting_notifications: false,
    requested: false,
    requested_by: false,
    domain_blocking: false,
    endorsed: false,
    note: '',
  };
}
