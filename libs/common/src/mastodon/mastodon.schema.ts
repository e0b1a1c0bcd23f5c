/** Mastodon's entities as JSON Schemas, for /openapi.json (docs.joinmastodon.org/entities). */
const STRING = { type: 'string' } as const;
const URL = { type: 'string', format: 'uri' } as const;
const BOOLEAN = { type: 'boolean' } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;
const ID = { type: 'string', pattern: '^[0-9]+$' } as const;

export const ACCOUNT_SCHEMA = {
  type: 'object',
  required: [
    'id',
    'username',
    'acct',
    'display_name',
    'locked',
    'bot',
    'group',
    'discoverable',
    'created_at',
    'note',
    'url',
    'uri',
    'avatar',
    'avatar_static',
    'header',
    'header_static',
    'followers_count',
    'following_count',
    'statuses_count',
    'last_status_at',
    'emojis',
    'fields',
  ],
  properties: {
    id: ID,
    username: STRING,
    acct: STRING,
    display_name: STRING,
    locked: BOOLEAN,
    bot: BOOLEAN,
    group: BOOLEAN,
    discoverable: BOOLEAN,
    indexable: BOOLEAN,
    noindex: BOOLEAN,
    created_at: { type: 'string', format: 'date-time' },
    note: { type: 'string', description: 'HTML' },
    url: URL,
    uri: URL,
    avatar: URL,
    avatar_static: URL,
    header: URL,
    header_static: URL,
    followers_count: COUNT,
    following_count: COUNT,
    statuses_count: COUNT,
    last_status_at: { type: ['string', 'null'], format: 'date' },
    emojis: { type: 'array', maxItems: 0 },
    fields: { type: 'array', maxItems: 0 },
    roles: { type: 'array', maxItems: 0 },
  },
} as const;

export const CREDENTIAL_ACCOUNT_SCHEMA = {
  ...ACCOUNT_SCHEMA,
  required: [...ACCOUNT_SCHEMA.required, 'source', 'role'],
  properties: {
    ...ACCOUNT_SCHEMA.properties,
    source: {
      type: 'object',
      required: ['privacy', 'sensitive', 'language', 'note', 'fields', 'follow_requests_count'],
      properties: { privacy: STRING, sensitive: BOOLEAN, language: STRING, note: STRING, fields: { type: 'array' }, follow_requests_count: COUNT },
    },
    role: { type: 'object', properties: { id: STRING, name: STRING, permissions: STRING, color: STRING, highlighted: BOOLEAN } },
  },
} as const;

export const ACCOUNT_LIST_SCHEMA = { type: 'array', items: ACCOUNT_SCHEMA } as const;

export const RELATIONSHIP_SCHEMA = {
  type: 'object',
  required: [
    'id',
    'following',
    'showing_reblogs',
    'notifying',
    'followed_by',
    'blocking',
    'blocked_by',
    'muting',
    'muting_notifications',
    'requested',
    'requested_by',
    'domain_blocking',
    'endorsed',
    'note',
  ],
  properties: {
    id: ID,
    following: BOOLEAN,
    showing_reblogs: BOOLEAN,
    notifying: BOOLEAN,
    languages: { type: ['array', 'null'] },
    followed_by: BOOLEAN,
    blocking: BOOLEAN,
    blocked_by: BOOLEAN,
    muting: BOOLEAN,
    muting_notifications: BOOLEAN,
    requested: BOOLEAN,
    requested_by: BOOLEAN,
    domain_blocking: BOOLEAN,
    endorsed: BOOLEAN,
    note: STRING,
  },
} as const;

export const RELATIONSHIP_LIST_SCHEMA = { type: 'array', items: RELATIONSHIP_SCHEMA } as const;

export const APPLICATION_SCHEMA = {
  type: 'object',
  required: ['id', 'name', 'website', 'scopes', 'redirect_uri', 'redirect_uris'],
  properties: {
    id: ID,
    name: STRING,
    website: { type: ['string', 'null'] },
    scopes: { type: 'array', items: STRING },
    redirect_uri: STRING,
    redirect_uris: { type: 'array', items: STRING },
    client_id: { type: 'string', description: 'only when the app is registered' },
    client_secret: { type: 'string', description: 'only when the app is registered: keep it, it is never shown again' },
    vapid_key: STRING,
  },
} as const;

export const MASTODON_TOKEN_SCHEMA = {
  type: 'object',
  required: ['access_token', 'token_type', 'scope', 'created_at'],
  properties: { access_token: STRING, token_type: { type: 'string', enum: ['Bearer'] }, scope: STRING, created_at: { type: 'integer' } },
} as const;

export const LINK_HEADER = {
  Link: { description: '<next page>; rel="next", <previous page>; rel="prev" (none on an empty page)', schema: { type: 'string' } },
};

export const ANY_OBJECT = { type: 'object' } as const;
export const ANY_LIST = { type: 'array' } as const;

const DATE_TIME = { type: 'string', format: 'date-time' } as const;
const NULLABLE_ID = { type: ['string', 'null'], pattern: '^[0-9]+$' } as const;
const EMPTY_LIST = { type: 'array', maxItems: 0 } as const;

/** A Status's fields but `reblog`: a reblogged status is one of these (a reblog of a reblog does not exist). */
const STATUS_PROPERTIES = {
  id: ID,
  uri: URL,
  url: URL,
  created_at: DATE_TIME,
  account: ACCOUNT_SCHEMA,
  content: { type: 'string', description: 'HTML' },
  text: { type: ['string', 'null'], description: 'the plain text (only in the answer to a deletion)' },
  visibility: { type: 'string', enum: ['public'] },
  sensitive: BOOLEAN,
  spoiler_text: STRING,
  media_attachments: EMPTY_LIST,
  application: { type: ['object', 'null'], properties: { name: STRING, website: { type: ['string', 'null'] } } },
  mentions: EMPTY_LIST,
  tags: EMPTY_LIST,
  emojis: EMPTY_LIST,
  reblogs_count: COUNT,
  favourites_count: COUNT,
  replies_count: COUNT,
  in_reply_to_id: NULLABLE_ID,
  in_reply_to_account_id: NULLABLE_ID,
  poll: { type: 'null' },
  card: { type: 'null' },
  language: { type: ['string', 'null'] },
  edited_at: { type: ['string', 'null'], format: 'date-time' },
  favourited: BOOLEAN,
  reblogged: BOOLEAN,
  muted: BOOLEAN,
  bookmarked: BOOLEAN,
  pinned: BOOLEAN,
  filtered: EMPTY_LIST,
} as const;

const STATUS_REQUIRED = [
  'id',
  'uri',
  'url',
  'created_at',
  'account',
  'content',
  'visibility',
  'sensitive',
  'spoiler_text',
  'media_attachments',
  'mentions',
  'tags',
  'emojis',
  'reblogs_count',
  'favourites_count',
  'replies_count',
  'in_reply_to_id',
  'in_reply_to_account_id',
  'reblog',
  'poll',
  'card',
  'language',
  'edited_at',
];

/** Mastodon's Status (entities/Status.md): a reblog is a status of its own with the original in `reblog`. */
export const STATUS_SCHEMA = {
  type: 'object',
  required: STATUS_REQUIRED,
  properties: {
    ...STATUS_PROPERTIES,
    reblog: { type: ['object', 'null'], required: STATUS_REQUIRED, properties: { ...STATUS_PROPERTIES, reblog: { type: 'null' } } },
  },
} as const;

export const STATUS_LIST_SCHEMA = { type: 'array', items: STATUS_SCHEMA } as const;

export const CONTEXT_SCHEMA = {
  type: 'object',
  required: ['ancestors', 'descendants'],
  properties: { ancestors: STATUS_LIST_SCHEMA, descendants: STATUS_LIST_SCHEMA },
} as const;
