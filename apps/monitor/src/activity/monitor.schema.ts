const POST_PROPERTIES = {
  id: { type: 'integer' },
  username: { type: 'string' },
  message: { type: 'string' },
  timestamp: { type: 'string', format: 'date-time' },
  repost: { type: ['string', 'null'] },
  inReplyTo: { type: ['integer', 'null'] },
  likes: { type: 'integer' },
  reposts: { type: 'integer' },
  replies: { type: 'integer' },
  editedAt: { type: ['string', 'null'], format: 'date-time' },
  url: { type: 'string' },
  score: { type: 'integer', description: 'likes + reposts + comments received within the window' },
};

/** JSON Schemas of the monitor's answers, for the OpenAPI document. */
export const TRENDING_SCHEMA = {
  type: 'object',
  required: ['window', 'posts'],
  properties: {
    window: { type: 'string', enum: ['1h', '24h'] },
    posts: { type: 'array', maxItems: 20, items: { type: 'object', required: Object.keys(POST_PROPERTIES), properties: POST_PROPERTIES } },
  },
} as const;

export const STATS_SCHEMA = {
  type: 'object',
  required: ['users', 'posts', 'likes', 'follows', 'activeUsers', 'lag'],
  properties: {
    users: { type: 'integer' },
    posts: { type: 'integer' },
    likes: { type: 'integer' },
    follows: { type: 'integer' },
    activeUsers: {
      type: 'array',
      maxItems: 10,
      items: { type: 'object', required: ['username', 'posts'], properties: { username: { type: 'string' }, posts: { type: 'integer' } } },
    },
    lag: {
      type: 'object',
      description: 'how far behind its streams the monitor is, in ms (null: unknown)',
      properties: { users: { type: ['integer', 'null'] }, timelines: { type: ['integer', 'null'] } },
    },
  },
} as const;
