import { AuthUser } from './auth-user';

/** What a Bearer token allows: whose it is (none for an app's own token) and its scopes. */
export interface TokenGrant {
  user: AuthUser | null;
  scopes: readonly string[];
  /** The OAuth app the token was issued to; none for the native API's JWTs. */
  appId?: number;
}

/** Injection token of the service's OAuthTokenVerifier. */
export const OAUTH_TOKEN_VERIFIER = Symbol('OAuthTokenVerifier');

/** Checks an opaque OAuth token without a call to another service. */
export interface OAuthTokenVerifier {
  /** The token's grant, or null when it is unknown, revoked or its user's password changed. */
  verify(token: string): Promise<TokenGrant | null>;
}
