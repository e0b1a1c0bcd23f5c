import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable, Optional, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { mastodonForbidden, mastodonUnauthorized, mastodonUnprocessable } from '@app/common';
import { AuthUser } from './auth-user';
import { isOpaqueToken } from './opaque-token';
import { scopesAllow, TOP_LEVEL_SCOPES } from './oauth-scopes';
import { OAUTH_TOKEN_VERIFIER, OAuthTokenVerifier, TokenGrant } from './token-grant';
import { TokenService } from './token.service';

interface TokenRequirement {
  /** Any one of these scopes lets the request through; none: any valid token. */
  scopes: readonly string[];
  /** Whether an app's own token (client_credentials, no user) is refused. */
  userRequired: boolean;
  /** Whether a request without a token goes through (the route reads `grant` as null). */
  optional: boolean;
}

const TOKEN_REQUIREMENT = Symbol('TokenRequirement');

/** A native JWT is a user's own credential: it may do whatever the user may. */
const JWT_SCOPES = TOP_LEVEL_SCOPES;

/** `user` as the native guard sets it, for what reads it (the Idempotency-Key's owner). */
type GrantedRequest = FastifyRequest & { grant?: TokenGrant | null; user?: AuthUser };

/** The Bearer token of a request: the header, or RFC 6750's `access_token` query parameter. */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const [scheme, token] = header.split(' ');
    return scheme.toLowerCase() === 'bearer' && token ? token : undefined;
  }
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.access_token === 'string' ? query.access_token : undefined;
}

/** Mastodon's routes: an OAuth token (or a native JWT) with one of the route's scopes. */
@Injectable()
export class MastodonAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    @Optional() @Inject(OAUTH_TOKEN_VERIFIER) private readonly verifier?: OAuthTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride<TokenRequirement | undefined>(TOKEN_REQUIREMENT, [context.getHandler(), context.getClass()]) ?? {
      scopes: [],
      userRequired: true,
      optional: false,
    };
    const request = context.switchToHttp().getRequest<GrantedRequest>();
    const token = bearerToken(request);
    if (token === undefined) {
      if (requirement.optional) {
        request.grant = null;
        return true;
      }
      throw mastodonUnauthorized();
    }
    const grant = await this.grantOf(token);
    if (!grant) throw mastodonUnauthorized();
    if (!scopesAllow(grant.scopes, requirement.scopes)) throw mastodonForbidden();
    if (requirement.userRequired && !grant.user) throw mastodonUnprocessable('This method requires an authenticated user');
    request.grant = grant;
    if (grant.user) request.user = grant.user;
    return true;
  }

  private async grantOf(token: string): Promise<TokenGrant | null> {
    if (isOpaqueToken(token)) return (await this.verifier?.verify(token)) ?? null;
    const user = this.tokens.verify(token);
    return user ? { user, scopes: JWT_SCOPES } : null;
  }
}

/** A route for a signed-in user's token holding one of `scopes`. */
export function UserToken(...scopes: string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(TOKEN_REQUIREMENT, { scopes, userRequired: true, optional: false } satisfies TokenRequirement),
    UseGuards(MastodonAuthGuard),
  );
}

/** A route for any valid token holding one of `scopes`, an app's own included. */
export function AppToken(...scopes: string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(TOKEN_REQUIREMENT, { scopes, userRequired: false, optional: false } satisfies TokenRequirement),
    UseGuards(MastodonAuthGuard),
  );
}

/** A public route that reads who asks when a token is sent (an invalid one is still a 401). */
export function OptionalToken(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(TOKEN_REQUIREMENT, { scopes: [], userRequired: false, optional: true } satisfies TokenRequirement),
    UseGuards(MastodonAuthGuard),
  );
}

/** The grant MastodonAuthGuard put on the request (null on an OptionalToken route without one). */
export const Grant = createParamDecorator(
  (_: unknown, context: ExecutionContext): TokenGrant | null => context.switchToHttp().getRequest<GrantedRequest>().grant ?? null,
);
