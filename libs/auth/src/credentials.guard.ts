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
 * Requires HTTP Basic or Bearer credentials. Each service supplies its own 'basic' strategy
 * (users checks its database, timelines asks users); 'bearer' is checked locally everywhere.
 */
@Injectable()
export class CredentialsGuard extends AuthGuard(['basic', 'bearer']) {
  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false, _info: unknown, context: ExecutionContext): TUser {
    if (error) throw error;
    if (user) return user;
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const scheme = header.split(' ', 1)[0].toLowerCase();
    if (scheme === 'bearer') throw unauthorized('the bearer token is invalid or expired', true);
    if (scheme === 'basic') throw unauthorized('the username or password is wrong');
    throw unauthorized('this route needs Basic or Bearer credentials');
  }
}
