import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { toProblem } from '../problem';

/**
 * The prefixes of Mastodon's client API: their errors are Mastodon's `{"error": …}` as
 * application/json (masto.js reads any other type as "an unknown encoding").
 */
const MASTODON_PREFIXES = ['/api/', '/oauth/', '/.well-known/', '/nodeinfo/'];

export function isMastodonPath(url: string): boolean {
  return MASTODON_PREFIXES.some((prefix) => url.startsWith(prefix));
}

/** `/oauth/…` errors add RFC 6749's `error_description` beside Mastodon's message. */
export interface MastodonErrorBody {
  error: string;
  error_description?: string;
}

/** An error of Mastodon's API: its status, its message, and for OAuth its RFC 6749 code. */
export class MastodonError extends HttpException {
  constructor(
    status: number,
    readonly error: string,
    readonly headers: Record<string, string> = {},
    readonly oauthCode?: string,
  ) {
    super(error, status);
  }
}

export const mastodonUnauthorized = (error = 'The access token is invalid') =>
  new MastodonError(401, error, { 'WWW-Authenticate': 'Bearer realm="microblog", error="invalid_token"' });
export const mastodonForbidden = (error = 'This action is outside the authorized scopes') => new MastodonError(403, error);
export const mastodonNotFound = (error = 'Record not found') => new MastodonError(404, error);
export const mastodonUnprocessable = (error: string) => new MastodonError(422, error);

/** Anything thrown while answering a Mastodon route, as the body and headers Mastodon would send. */
export function toMastodonError(exception: unknown, url: string): { status: number; body: MastodonErrorBody; headers: Record<string, string> } {
  const oauth = url.startsWith('/oauth/');
  if (exception instanceof MastodonError) {
    const status = exception.getStatus();
    const body: MastodonErrorBody = oauth
      ? { error: exception.oauthCode ?? oauthCodeOf(status), error_description: exception.error }
      : { error: exception.error };
    return { status, body, headers: exception.headers };
  }
  // Everything else (a 404 route, a 413 body, a throttled login) keeps its status and its
  // detail, in Mastodon's shape.
  const { problem, headers } = toProblem(exception);
  const message = problem.status >= 500 ? 'the server could not handle this request' : problem.detail || (STATUS_CODES[problem.status] ?? 'Error');
  const body: MastodonErrorBody = oauth ? { error: oauthCodeOf(problem.status), error_description: message } : { error: message };
  return { status: problem.status, body, headers };
}

function oauthCodeOf(status: number): string {
  if (status === 401) return 'invalid_client';
  if (status === 403) return 'access_denied';
  if (status === 429) return 'too_many_requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}
