import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * Mastodon's clients send arrays as `key[]=a&key[]=b` (form bodies and queries) and a single
 * value as a plain string; Fastify hands both over under the key `key[]`. This gives the
 * key without brackets, its values always as an array, and every other key as sent.
 */
export function mastodonParams(input: unknown): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (key.endsWith('[]')) {
      const name = key.slice(0, -2);
      const values = Array.isArray(value) ? value : [value];
      params[name] = [...(Array.isArray(params[name]) ? (params[name] as unknown[]) : []), ...values];
    } else {
      params[key] = value;
    }
  }
  return params;
}

/** A text parameter: the first value when a client repeated it, undefined when absent or empty. */
export function textParam(params: Record<string, unknown>, key: string): string | undefined {
  const value = Array.isArray(params[key]) ? (params[key] as unknown[])[0] : params[key];
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  return text === '' ? undefined : text;
}

/** A list parameter (`id[]=1&id[]=2`, `id=1`, or JSON's `"id": [1, 2]`) as strings. */
export function listParam(params: Record<string, unknown>, key: string): string[] {
  const value = params[key];
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * A Mastodon route's parameters, as Rails merges them: the query, then the body (JSON,
 * form or multipart), arrays under their bare names.
 */
export const MastodonParams = createParamDecorator((_: unknown, context: ExecutionContext): Record<string, unknown> => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return mastodonParams({ ...(plainObject(request.query) ?? {}), ...(plainObject(request.body) ?? {}) });
});

function plainObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
