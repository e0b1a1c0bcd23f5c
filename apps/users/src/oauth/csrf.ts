import { Injectable } from '@nestjs/common';
import Tokens from '@fastify/csrf';
import type { FastifyReply, FastifyRequest } from 'fastify';

const CSRF_COOKIE = 'mb_csrf';

/**
 * The sign-in form's CSRF protection (@fastify/csrf): a secret in a signed, HttpOnly,
 * SameSite cookie, and a token made from it in the form; a post whose token does not match
 * its cookie's secret is refused.
 */
@Injectable()
export class SignInCsrf {
  private readonly tokens = new Tokens({});

  tokenFor(request: FastifyRequest, reply: FastifyReply): string {
    let secret = this.secretOf(request, reply);
    if (!secret) {
      secret = this.tokens.secretSync();
      reply.setCookie(CSRF_COOKIE, secret, { path: '/oauth', httpOnly: true, sameSite: 'lax', signed: true });
    }
    return this.tokens.create(secret);
  }

  verify(request: FastifyRequest, reply: FastifyReply, token: unknown): boolean {
    const secret = this.secretOf(request, reply);
    return secret !== undefined && typeof token === 'string' && this.tokens.verify(secret, token);
  }

  private secretOf(request: FastifyRequest, reply: FastifyReply): string | undefined {
    const cookie = request.cookies[CSRF_COOKIE];
    if (!cookie) return undefined;
    const { valid, value } = reply.unsignCookie(cookie);
    return valid && value ? value : undefined;
  }
}
