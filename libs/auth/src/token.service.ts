import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash } from 'node:crypto';
import { boundedCache } from '@app/common';
import { AuthUser, isRole } from './auth-user';

export const TOKEN_LIFETIME_SECONDS = 3600;

/** How many verified tokens a process remembers (a few hundred bytes each). */
const REMEMBERED_TOKENS = 10_000;

export interface AccessToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

interface TokenClaims {
  sub: string;
  username: string;
  role?: string;
  exp?: number;
}

/** HS256 tokens signed with the secret every service shares, so any service checks them locally. */
@Injectable()
export class TokenService {
  /**
   * Tokens already verified, by the SHA-256 of the whole token, with the moment they expire:
   * a token's signature and claims cannot change, only the clock, and the check is a large
   * share of a Bearer request's time (docs/performance.md, "Settings chosen by measurement").
   */
  private readonly verified = boundedCache<string, { user: AuthUser; expiresAt: number }>(REMEMBERED_TOKENS);

  constructor(private readonly jwt: JwtService) {}

  issue(user: AuthUser): AccessToken {
    const claims: TokenClaims = { sub: String(user.id), username: user.username, role: user.role ?? 'user' };
    return {
      access_token: this.jwt.sign(claims, { expiresIn: TOKEN_LIFETIME_SECONDS }),
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
    };
  }

  /** The user a token names, or null when it is forged, expired or malformed. */
  verify(token: string): AuthUser | null {
    const key = createHash('sha256').update(token).digest('base64');
    const known = this.verified.get(key);
    if (known) return Date.now() < known.expiresAt ? known.user : null;
    try {
      const claims = this.jwt.verify<TokenClaims>(token, { algorithms: ['HS256'] });
      const id = Number(claims.sub);
      if (!Number.isSafeInteger(id) || typeof claims.username !== 'string') return null;
      const user: AuthUser = { id, username: claims.username, role: isRole(claims.role) ? claims.role : 'user' };
      this.verified.set(key, { user, expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : Infinity });
      return user;
    } catch {
      return null;
    }
  }
}
