import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuthUser, isRole } from './auth-user';

export const TOKEN_LIFETIME_SECONDS = 3600;

export interface AccessToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

interface TokenClaims {
  sub: string;
  username: string;
  role?: string;
}

/** HS256 tokens signed with the secret every service shares, so any service checks them locally. */
@Injectable()
export class TokenService {
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
    try {
      const claims = this.jwt.verify<TokenClaims>(token, { algorithms: ['HS256'] });
      const id = Number(claims.sub);
      if (!Number.isSafeInteger(id) || typeof claims.username !== 'string') return null;
      return { id, username: claims.username, role: isRole(claims.role) ? claims.role : 'user' };
    } catch {
      return null;
    }
  }
}
