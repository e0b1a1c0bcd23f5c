import { MastodonAccount } from './account.view';
import { textToHtml } from './mastodon-html';

/** Mastodon's Status entity (entities/Status.md): every field it marks as required, and the viewer's own. */
export interface MastodonStatus {
  id: string;
  uri: string;
  url: string;
  created_at: string;
  account: MastodonAccount;
  content: string;
  text?: string | null;
  visibility: 'public';
  sensitive: false;
  spoiler_text: '';
  media_attachments: [];
  application: null;
  mentions: [];
  tags: [];
  emojis: [];
  reblogs_count: number;
  favourites_count: number;
  replies_count: number;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  reblog: MastodonStatus | null;
  poll: null;
  card: null;
  language: string | null;
  edited_at: string | null;
  favourited?: boolean;
  reblogged?: boolean;
  muted?: boolean;
  bookmarked?: boolean;
  pinned?: boolean;
  filtered?: [];
}

/** A post as a Status shows it, with what the views around it looked up. */
export interface StatusFacts {
  id: number;
  text: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  editedAt: number | null;
  account: MastodonAccount;
  inReplyToId: number | null;
  inReplyToAccountId: number | null;
  reblogs: number;
  favourites: number;
  replies: number;
  /** The viewer's own likes and reposts; none for an anonymous viewer. */
  viewer: { favourited: boolean; reblogged: boolean } | null;
}

/** A Status; a reblog's own counters are 0 and its text lives in `reblog`, as Mastodon's. */
export function toStatus(post: StatusFacts, reblog: MastodonStatus | null = null): MastodonStatus {
  const url = `${post.account.url}/${post.id}`;
  const viewer = post.viewer
    ? { favourited: post.viewer.favourited, reblogged: post.viewer.reblogged, muted: false, bookmarked: false, pinned: false, filtered: [] as [] }
    : {};
  return {
    id: String(post.id),
    uri: url,
    url,
    created_at: new Date(post.createdAt).toISOString(),
    account: post.account,
    content: reblog ? '' : textToHtml(post.text),
    visibility: 'public',
    sensitive: false,
    spoiler_text: '',
    media_attachments: [],
    application: null,
    mentions: [],
    tags: [],
    emojis: [],
    reblogs_count: reblog ? 0 : post.reblogs,
    favourites_count: reblog ? 0 : post.favourites,
    replies_count: reblog ? 0 : post.replies,
    in_reply_to_id: post.inReplyToId === null ? null : String(post.inReplyToId),
    in_reply_to_account_id: post.inReplyToAccountId === null ? null : String(post.inReplyToAccountId),
    reblog,
    poll: null,
    card: null,
    language: null,
    edited_at: post.editedAt === null ? null : new Date(post.editedAt).toISOString(),
    ...viewer,
  };
}
