import { Tx } from '@app/database';
/** What the users service stores of OAuth 2: apps, authorization codes and access tokens. */
export interface OAuthAppRow {
  id: number;
  name: string;
  website: string | null;
  /** One per line, as registered. */
  redirect_uris: string;
  /** Space-separated, as registered. */
  scopes: string;
  client_id: string;
  client_secret_digest: string;
  created_at: string;
}

export type NewOAuthApp = Omit<OAuthAppRow, 'id'>;

export interface AuthorizationCodeRow {
  code_digest: string;
  app_id: number;
  user_id: number;
  redirect_uri: string;
  scopes: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  expires_at: string;
}

export interface NewAccessToken {
  token_digest: string;
  app_id: number;
  /** None for an app's own token (client_credentials). */
  user_id: number | null;
  scopes: string;
  /** The user's password generation when the token was issued: a password change ends it. */
  credentials_version: number | null;
  created_at: string;
}

/** A stored token with what verifying it needs now: its user's current password generation. */
export interface AccessTokenRow extends NewAccessToken {
  id: number;
  username: string | null;
  role: string | null;
  current_credentials_version: number | null;
}

/** Injection token of the OAuthRepository adapter. */
export const OAUTH_REPOSITORY = Symbol('OAuthRepository');

/** Reads and writes apps, codes and tokens; decides nothing. */
export interface OAuthRepository {
  /** Runs `work` in one write transaction; every call inside joins it. */
  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;

  insertApp(tx: Tx, app: NewOAuthApp): Promise<number>;
  findAppByClientId(clientId: string): Promise<OAuthAppRow | undefined>;
  findAppById(id: number): Promise<OAuthAppRow | undefined>;

  insertCode(tx: Tx, code: AuthorizationCodeRow): Promise<void>;
  findCode(codeDigest: string): Promise<AuthorizationCodeRow | undefined>;
  /** Removes the code; whether it was there: a code is used once, whichever request removes it first. */
  deleteCode(tx: Tx, codeDigest: string): Promise<boolean>;

  insertToken(tx: Tx, token: NewAccessToken): Promise<number>;
  findToken(tokenDigest: string): Promise<AccessTokenRow | undefined>;
  /** Removes the app's token; whether there was one. */
  deleteToken(tx: Tx, tokenDigest: string, appId: number): Promise<boolean>;
}
