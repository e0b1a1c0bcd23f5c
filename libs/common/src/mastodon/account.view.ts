import { textToHtml } from './mastodon-html';

/** The images every account shows (served by the users service). */
export const DEFAULT_AVATAR_PATH = '/api/v1/media/default-avatar.png';
export const DEFAULT_HEADER_PATH = '/api/v1/media/default-header.png';

/** What either service knows of an account, for Mastodon's Account entity. */
export interface AccountFacts {
  id: number;
  username: string;
  bio: string;
  /** When the account registered: ISO 8601, or milliseconds since the epoch. */
  createdAt: string | number;
  followers: number;
  following: number;
}

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

/** What an account has posted, as timelines knows it. */
export interface PostingStats {
  statuses: number;
  /** Milliseconds since the epoch of the newest post, or null. */
  lastStatusAt: number | null;
}

export const NO_POSTS: PostingStats = { statuses: 0, lastStatusAt: null };

/** An account with its counts, as the read models of timelines and the monitor keep it. */
export interface AccountProfileRow {
  id: number;
  username: string;
  bio: string;
  created_at: string;
  followers: number;
  following: number;
  statuses: number;
  last_status_at: number | null;
}

export function profileToAccount(row: AccountProfileRow, origin: string): MastodonAccount {
  return toAccount(
    { id: row.id, username: row.username, bio: row.bio, createdAt: row.created_at, followers: row.followers, following: row.following },
    origin,
    { statuses: row.statuses, lastStatusAt: row.last_status_at },
  );
}

export function toAccount(row: AccountFacts, origin: string, stats: PostingStats = NO_POSTS): MastodonAccount {
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
    created_at: new Date(row.createdAt).toISOString(),
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
    last_status_at: stats.lastStatusAt === null ? null : new Date(stats.lastStatusAt).toISOString().slice(0, 10),
    emojis: [],
    fields: [],
    roles: [],
  };
}

export function toCredentialAccount(row: AccountFacts & { role: string }, origin: string, stats: PostingStats = NO_POSTS): MastodonCredentialAccount {
  return {
    ...toAccount(row, origin, stats),
    source: { privacy: 'public', sensitive: false, language: '', note: row.bio, fields: [], follow_requests_count: 0 },
    role: {
      id: row.role === 'admin' ? '3' : '-99',
      name: row.role === 'admin' ? 'Admin' : '',
      permissions: row.role === 'admin' ? '1' : '0',
      color: '',
      highlighted: row.role === 'admin',
    },
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
