/**
 * JSON Schemas of the answers, the one description of their shape: they are compiled into
 * serializers (fast-json-stringify; by Fastify for a route's answer, by PostListRenderer for
 * each post of a timeline), and the OpenAPI document uses them too. A property not listed
 * here never reaches a client.
 */
export const POST_SCHEMA = {
  type: 'object',
  required: ['id', 'username', 'message', 'timestamp', 'repost', 'inReplyTo', 'likes', 'reposts', 'replies', 'editedAt', 'url'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer', minimum: 1, examples: [7] },
    username: { type: 'string', examples: ['steve'] },
    message: { type: 'string', examples: ['hello'] },
    timestamp: { type: 'string', format: 'date-time', description: 'when it was posted (ISO 8601 UTC, milliseconds)' },
    repost: { type: ['string', 'null'], description: 'path of the original post, for a repost', examples: ['/posts/3'] },
    inReplyTo: { type: ['integer', 'null'], description: 'id of the post this comments on' },
    likes: { type: 'integer', minimum: 0 },
    reposts: { type: 'integer', minimum: 0 },
    replies: { type: 'integer', minimum: 0 },
    editedAt: { type: ['string', 'null'], format: 'date-time' },
    url: { type: 'string', examples: ['/posts/7'] },
  },
} as const;

export const POST_LIST_SCHEMA = {
  type: 'object',
  required: ['posts', 'next'],
  additionalProperties: false,
  properties: {
    posts: { type: 'array', items: POST_SCHEMA },
    next: { type: ['string', 'null'], description: 'the next page (also sent as Link: <…>; rel="next"), null on the last' },
  },
} as const;

export const LIKE_STATE_SCHEMA = {
  type: 'object',
  required: ['id', 'liked', 'likes'],
  additionalProperties: false,
  properties: { id: { type: 'integer' }, liked: { type: 'boolean' }, likes: { type: 'integer', minimum: 0 } },
} as const;
