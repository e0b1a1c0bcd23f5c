import { applyDecorators } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiConsumes, ApiHeader, ApiQuery, ApiResponse } from './swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { STATUS_CODES } from 'node:http';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination';

/** A JSON Schema written `as const` (readonly), as @nestjs/swagger's mutable type wants it. */
export const asSchema = (schema: object): SchemaObject => schema as SchemaObject;

/** RFC 9457 problem details, the body of every error. */
export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', examples: ['about:blank'] },
    // Each response carries an example of its own status (exampleProblem), not one for all.
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
} as const;

const HEADERS = {
  'Retry-After': { description: 'seconds to wait before trying again', schema: { type: 'integer' } },
  'WWW-Authenticate': { description: 'the Basic challenge (and Bearer error="invalid_token" for a rejected token)', schema: { type: 'string' } },
};

/** What a problem of each status says, for the document's examples (the routes' own details vary). */
const EXAMPLE_DETAILS: Record<number, string> = {
  400: 'message must be 1 to 280 characters',
  401: 'credentials are required (HTTP Basic or a Bearer token)',
  403: 'only the author of a post or an admin may change it',
  404: 'post 42 does not exist',
  409: 'the username is taken',
  413: 'the body is larger than the service accepts',
  415: 'the body must be application/json or application/x-www-form-urlencoded',
  429: 'too many failed logins; try again later',
  503: 'a service this one depends on is unavailable; try again shortly',
};

/** A problem document as a route answers it with `status`. */
function exampleProblem(status: number, detail = EXAMPLE_DETAILS[status] ?? STATUS_CODES[status]): Record<string, unknown> {
  return { type: 'about:blank', title: STATUS_CODES[status], status, detail };
}

/**
 * One error answer: a problem document with an example of its status (whose detail is
 * `description` when one is given); 401 carries the challenge, 429 and 503 Retry-After.
 */
function problemResponse(status: number, description?: string) {
  return ApiResponse({
    status,
    description: description ?? STATUS_CODES[status],
    content: { 'application/problem+json': { schema: PROBLEM_SCHEMA as object, example: exampleProblem(status, description) } },
    ...(status === 401 ? { headers: { 'WWW-Authenticate': HEADERS['WWW-Authenticate'] } } : {}),
    ...(status === 429 || status === 503 ? { headers: { 'Retry-After': HEADERS['Retry-After'] } } : {}),
  });
}

/** Error answers of a route, each a problem document. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(...statuses.map((status) => problemResponse(status)));
}

/** A route that needs credentials: Basic or Bearer, 401 without. */
export function ApiCredentials() {
  return applyDecorators(ApiBasicAuth('basic'), ApiBearerAuth('bearer'), ApiProblems(401));
}

/** A body route: JSON or form data; 413, 415 and malformed bodies are problems. */
export function ApiBody() {
  return applyDecorators(ApiConsumes('application/json', 'application/x-www-form-urlencoded'), ApiProblems(400, 413, 415));
}

/** A paged list: `limit` and `cursor`, and the next page in `Link` as in `next`. */
export function ApiPage(schema: object, description: string) {
  return applyDecorators(
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE } }),
    ApiQuery({ name: 'cursor', required: false, description: 'opaque: the `next` link of the previous page carries it', schema: { type: 'string' } }),
    ApiResponse({
      status: 200,
      description,
      schema: asSchema(schema),
      headers: { Link: { description: '<next page>; rel="next", when there is one', schema: { type: 'string' } } },
    }),
    ApiProblems(400),
  );
}

/** A created resource: 201 with its form and `Location`. */
export function ApiCreated(schema: object, description: string) {
  return ApiResponse({
    status: 201,
    description,
    schema: asSchema(schema),
    headers: { Location: { description: 'the path of what was created', schema: { type: 'string' } } },
  });
}

/** The optional Idempotency-Key header of a POST (a Mastodon route lists its 409 and 422 among its errors). */
export function ApiIdempotencyKey() {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '1 to 255 visible ASCII characters; a repeat within 24 h gets the first answer with Idempotent-Replayed: true',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
  });
}

/** The optional Idempotency-Key of a POST, and the answers it adds. */
export function ApiIdempotent() {
  return applyDecorators(
    ApiIdempotencyKey(),
    problemResponse(409, 'the first request with this Idempotency-Key is still being processed'),
    problemResponse(422, 'this Idempotency-Key was used for another request'),
  );
}

/** Mastodon's error body: `{"error": …}`, and `error_description` on /oauth/…. */
export const MASTODON_ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
} as const;

const MASTODON_EXAMPLE_ERRORS: Record<number, string> = {
  400: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  401: 'The access token is invalid',
  403: 'This action is outside the authorized scopes',
  404: 'Record not found',
  422: 'Validation failed',
  429: 'Too many requests',
};

/**
 * A route of Mastodon's client API: its answer's schema as application/json, JSON, form
 * and multipart bodies, and its errors as Mastodon's `{"error": …}`.
 */
export function ApiMastodon(schema: object, errors: number[] = [], headers: Record<string, { description: string; schema: object }> = {}) {
  return applyDecorators(
    ApiConsumes('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'),
    ApiResponse({ status: 200, description: 'OK', content: { 'application/json': { schema: asSchema(schema) } }, headers }),
    ...errors.map((status) =>
      ApiResponse({
        status,
        description: STATUS_CODES[status],
        content: {
          'application/json': { schema: MASTODON_ERROR_SCHEMA as object, example: { error: MASTODON_EXAMPLE_ERRORS[status] ?? STATUS_CODES[status] } },
        },
      }),
    ),
  );
}

/** A Mastodon route that takes an OAuth token (or a native JWT) in `Authorization: Bearer`. */
export function ApiMastodonToken() {
  return ApiBearerAuth('bearer');
}

/** Mastodon's paging parameters: `max_id`, `since_id`, `min_id` and `limit`. */
export function ApiMastodonPaging({ defaultLimit, maxLimit }: { defaultLimit: number; maxLimit: number }) {
  return applyDecorators(
    ...['max_id', 'since_id', 'min_id'].map((name) => ApiQuery({ name, required: false, schema: { type: 'string', pattern: '^[0-9]+$' } })),
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: maxLimit, default: defaultLimit } }),
  );
}
