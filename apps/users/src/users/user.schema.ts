/** JSON Schemas of the users service's answers, for the OpenAPI document. */
export const PUBLIC_USER_SCHEMA = {
  type: 'object',
  required: ['id', 'username', 'bio', 'createdAt', 'followers', 'following'],
  properties: {
    id: { type: 'integer', examples: [2] },
    username: { type: 'string', examples: ['steve'] },
    bio: { type: 'string', examples: ['I love you'] },
    createdAt: { type: 'string', format: 'date-time' },
    followers: { type: 'integer', minimum: 0 },
    following: { type: 'integer', minimum: 0 },
  },
} as const;

export const OWNER_USER_SCHEMA = {
  type: 'object',
  required: [...PUBLIC_USER_SCHEMA.required, 'email', 'role'],
  properties: {
    ...PUBLIC_USER_SCHEMA.properties,
    email: { type: 'string', format: 'email' },
    role: { type: 'string', enum: ['user', 'admin'] },
  },
} as const;

export const USER_LIST_SCHEMA = {
  type: 'object',
  required: ['users', 'next'],
  properties: { users: { type: 'array', items: PUBLIC_USER_SCHEMA }, next: { type: ['string', 'null'] } },
} as const;

export const FOLLOW_STATE_SCHEMA = {
  type: 'object',
  required: ['username', 'following'],
  properties: { username: { type: 'string' }, following: { type: 'boolean' } },
} as const;

export const ACCESS_TOKEN_SCHEMA = {
  type: 'object',
  required: ['access_token', 'token_type', 'expires_in'],
  properties: {
    access_token: { type: 'string', description: 'an HS256 JWT' },
    token_type: { type: 'string', enum: ['Bearer'] },
    expires_in: { type: 'integer', examples: [3600] },
  },
} as const;

export const VERIFIED_SCHEMA = {
  type: 'object',
  required: ['id', 'username'],
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    role: { type: 'string', enum: ['user', 'admin'] },
    credentialsVersion: { type: 'integer', description: 'for Basic credentials: counts password changes' },
  },
} as const;
