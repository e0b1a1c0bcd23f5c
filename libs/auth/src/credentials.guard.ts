import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '@app/common';
import { AuthUser } from './auth-user';

export const BASIC_CHALLENGE = 'Basic realm="microblog", charset="UTF-8"';
export const BEARER_REJECTED = 'Bearer error="invalid_token"';

export function unauthorized(detail: string, bearerRejected = false): ProblemException {
  const challenge = bearerRejected ? `${BASIC_CHALLENGE}, ${BEARER_REJECTED}` : BASIC_CHALLENGE;
  return new ProblemException(401, detail, { 'WWW-Authenticate': challenge });
}

/**
 * A page's script (it sends `X-Requested-With: XMLHttpRequest`, as such scripts do) shows its
 * own message for a wrong password: its 401 challenges Bearer only, since a browser answers a
 * Basic challenge to a script's request with its own password dialog.
 */
function forScript(error: unknown, request: FastifyRequest): unknown {
  if (request.headers['x-requested-with'] !== 'XMLHttpRequest' || !(error instanceof ProblemException) || error.getStatus() !== 401) return error;
  return new ProblemException(401, error.detail, { ...error.headers, 'WWW-Authenticate': 'Bearer realm="microblog"' });
}

/**
 * Requires HTTP Basic or Bearer credentials. Each service supplies its own 'basic' strategy
 * (users checks its database, timelines asks users); 'bearer' is checked locally everywhere.
 */
@Injectable()
export class CredentialsGuard extends AuthGuard(['basic', 'bearer']) {
  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false, _info: unknown, context: ExecutionContext): TUser {
    if (!error && user) return user;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    throw forScript(error ?? refusal(request), request);
  }
}

/** Why a request without an error but without a user is refused, by the scheme it tried. */
function refusal(request: FastifyRequest): ProblemException {
  const scheme = (request.headers.authorization ?? '').split(' ', 1)[0].toLowerCase();
  if (scheme === 'bearer') return unauthorized('the bearer token is invalid or expired', true);
  if (scheme === 'basic') return unauthorized('the username or password is wrong');
  return unauthorized('this route needs Basic or Bearer credentials');
}
