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

/** A stored OAuth token joined with its user as they are now (users' table, or timelines' read model). */
export interface StoredToken {
  user_id: number | null;
  app_id: number;
  scopes: string;
  credentials_version: number | null;
  username: string | null;
  role: string | null;
  current_credentials_version: number | null;
}

/** What a stored token allows: nothing once its user's password changed or the account is gone. */
export function grantOfStoredToken(row: StoredToken): TokenGrant | null {
  const scopes = row.scopes.split(' ');
  if (row.user_id === null) return { user: null, scopes, appId: row.app_id };
  if (row.username === null || row.current_credentials_version !== row.credentials_version) return null;
  const user: AuthUser = { id: row.user_id, username: row.username, role: row.role === 'admin' ? 'admin' : 'user' };
  return { user, scopes, appId: row.app_id };
}
