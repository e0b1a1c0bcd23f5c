import { PostgresStore, Tx } from '@app/database';
import { AccessTokenRow, AuthorizationCodeRow, NewAccessToken, NewOAuthApp, OAuthAppRow, OAuthRepository } from './oauth.repository';

const TOKEN_COLUMNS = `t.id, t.token_digest, t.app_id, t.user_id, t.scopes, t.credentials_version, t.created_at,
  u.username, u.role, u.credentials_version AS current_credentials_version`;

/** The OAuth repository on PostgreSQL. */
export class PostgresOAuthRepository implements OAuthRepository {
  constructor(private readonly store: PostgresStore) {}

  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.write(work);
  }

  async insertApp(_tx: Tx, app: NewOAuthApp): Promise<number> {
    const row = await this.store.one<{ id: number }>(
      `INSERT INTO oauth_apps (name, website, redirect_uris, scopes, client_id, client_secret_digest, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [app.name, app.website, app.redirect_uris, app.scopes, app.client_id, app.client_secret_digest, app.created_at],
    );
    return row!.id;
  }

  findAppByClientId(clientId: string): Promise<OAuthAppRow | undefined> {
    return this.store.one<OAuthAppRow>('SELECT * FROM oauth_apps WHERE client_id = $1', [clientId]);
  }

  findAppById(id: number): Promise<OAuthAppRow | undefined> {
    return this.store.one<OAuthAppRow>('SELECT * FROM oauth_apps WHERE id = $1', [id]);
  }

  async insertCode(_tx: Tx, code: AuthorizationCodeRow): Promise<void> {
    await this.store.run(
      `INSERT INTO oauth_codes (code_digest, app_id, user_id, redirect_uri, scopes, code_challenge, code_challenge_method, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [code.code_digest, code.app_id, code.user_id, code.redirect_uri, code.scopes, code.code_challenge, code.code_challenge_method, code.expires_at],
    );
  }

  findCode(codeDigest: string): Promise<AuthorizationCodeRow | undefined> {
    return this.store.one<AuthorizationCodeRow>('SELECT * FROM oauth_codes WHERE code_digest = $1', [codeDigest]);
  }

  async deleteCode(_tx: Tx, codeDigest: string): Promise<boolean> {
    return (await this.store.run('DELETE FROM oauth_codes WHERE code_digest = $1', [codeDigest])) > 0;
  }

  async insertToken(_tx: Tx, token: NewAccessToken): Promise<number> {
    const row = await this.store.one<{ id: number }>(
      `INSERT INTO oauth_tokens (token_digest, app_id, user_id, scopes, credentials_version, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [token.token_digest, token.app_id, token.user_id, token.scopes, token.credentials_version, token.created_at],
    );
    return row!.id;
  }

  findToken(tokenDigest: string): Promise<AccessTokenRow | undefined> {
    return this.store.one<AccessTokenRow>(`SELECT ${TOKEN_COLUMNS} FROM oauth_tokens t LEFT JOIN users u ON u.id = t.user_id WHERE t.token_digest = $1`, [
      tokenDigest,
    ]);
  }

  async deleteToken(_tx: Tx, tokenDigest: string, appId: number): Promise<boolean> {
    return (await this.store.run('DELETE FROM oauth_tokens WHERE token_digest = $1 AND app_id = $2', [tokenDigest, appId])) > 0;
  }
}
