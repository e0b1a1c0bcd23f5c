import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-http-bearer';
import { ProblemException } from '@app/common';
import { AuthUser } from './auth-user';
import { scopesAllow } from './oauth-scopes';
import { isOpaqueToken } from './opaque-token';
import { OAUTH_TOKEN_VERIFIER, OAuthTokenVerifier } from './token-grant';
import { TokenService } from './token.service';

const READING = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Bearer tokens on the native API: its own JWTs, and the OAuth tokens Mastodon apps hold
 * (checked by the service's OAuthTokenVerifier, wherever the app registered it), which read
 * with `read` and write with `write`.
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') implements OnApplicationBootstrap {
  private verifier: OAuthTokenVerifier | undefined;

  constructor(
    private readonly tokens: TokenService,
    private readonly modules: ModuleRef,
  ) {
    super({ passReqToCallback: true });
  }

  onApplicationBootstrap(): void {
    try {
      this.verifier = this.modules.get<OAuthTokenVerifier>(OAUTH_TOKEN_VERIFIER, { strict: false });
    } catch {
      this.verifier = undefined; // a service without OAuth tokens (the monitor)
    }
  }

  async validate(request: FastifyRequest, token: string): Promise<AuthUser | false> {
    if (!isOpaqueToken(token)) return this.tokens.verify(token) ?? false;
    const grant = await this.verifier?.verify(token);
    if (!grant?.user) return false;
    const scope = READING.has(request.method) ? 'read' : 'write';
    if (!scopesAllow(grant.scopes, [scope])) throw new ProblemException(403, `this token's scopes do not include ${scope}`);
    return grant.user;
  }
}
