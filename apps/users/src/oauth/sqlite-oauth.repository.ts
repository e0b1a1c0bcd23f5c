import { Statement } from 'better-sqlite3';
import { SqliteStore, Tx } from '@app/database';
import { AccessTokenRow, AuthorizationCodeRow, NewAccessToken, NewOAuthApp, OAuthAppRow, OAuthRepository } from './oauth.repository';

const TOKEN_COLUMNS = `t.id, t.token_digest, t.app_id, t.user_id, t.scopes, t.credentials_version, t.created_at,
  u.username, u.role, u.credentials_version AS current_credentials_version`;

/** The OAuth repository on SQLite; each statement is prepared once. */
export class SqliteOAuthRepository implements OAuthRepository {
  private readonly insertAppStatement: Statement<NewOAuthApp>;
  private readonly appByClientId: Statement<[string], OAuthAppRow>;
  private readonly appById: Statement<[number], OAuthAppRow>;
  private readonly insertCodeStatement: Statement<AuthorizationCodeRow>;
  private readonly codeByDigest: Statement<[string], AuthorizationCodeRow>;
  private readonly deleteCodeStatement: Statement<[string]>;
  private readonly insertTokenStatement: Statement<NewAccessToken>;
  private readonly tokenByDigest: Statement<[string], AccessTokenRow>;
  private readonly deleteTokenStatement: Statement<[string, number]>;

  constructor(private readonly store: SqliteStore) {
    const { db } = store;
    this.insertAppStatement = db.prepare(
      `INSERT INTO oauth_apps (name, website, redirect_uris, scopes, client_id, client_secret_digest, created_at)
       VALUES (@name, @website, @redirect_uris, @scopes, @client_id, @client_secret_digest, @created_at)`,
    );
    this.appByClientId = db.prepare('SELECT * FROM oauth_apps WHERE client_id = ?');
    this.appById = db.prepare('SELECT * FROM oauth_apps WHERE id = ?');
    this.insertCodeStatement = db.prepare(
      `INSERT INTO oauth_codes (code_digest, app_id, user_id, redirect_uri, scopes, code_challenge, code_challenge_method, expires_at)
       VALUES (@code_digest, @app_id, @user_id, @redirect_uri, @scopes, @code_challenge, @code_challenge_method, @expires_at)`,
    );
    this.codeByDigest = db.prepare('SELECT * FROM oauth_codes WHERE code_digest = ?');
    this.deleteCodeStatement = db.prepare('DELETE FROM oauth_codes WHERE code_digest = ?');
    this.insertTokenStatement = db.prepare(
      `INSERT INTO oauth_tokens (token_digest, app_id, user_id, scopes, credentials_version, created_at)
       VALUES (@token_digest, @app_id, @user_id, @scopes, @credentials_version, @created_at)`,
    );
    this.tokenByDigest = db.prepare(`SELECT ${TOKEN_COLUMNS} FROM oauth_tokens t LEFT JOIN users u ON u.id = t.user_id WHERE t.token_digest = ?`);
    this.deleteTokenStatement = db.prepare('DELETE FROM oauth_tokens WHERE token_digest = ? AND app_id = ?');
  }

  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.write(work);
  }

  insertApp(_tx: Tx, app: NewOAuthApp): Promise<number> {
    return this.store.use(() => Number(this.insertAppStatement.run(app).lastInsertRowid));
  }

  findAppByClientId(clientId: string): Promise<OAuthAppRow | undefined> {
    return this.store.use(() => this.appByClientId.get(clientId));
  }

  findAppById(id: number): Promise<OAuthAppRow | undefined> {
    return this.store.use(() => this.appById.get(id));
  }

  async insertCode(_tx: Tx, code: AuthorizationCodeRow): Promise<void> {
    await this.store.use(() => this.insertCodeStatement.run(code));
  }

  findCode(codeDigest: string): Promise<AuthorizationCodeRow | undefined> {
    return this.store.use(() => this.codeByDigest.get(codeDigest));
  }

  deleteCode(_tx: Tx, codeDigest: string): Promise<boolean> {
    return this.store.use(() => this.deleteCodeStatement.run(codeDigest).changes > 0);
  }

  insertToken(_tx: Tx, token: NewAccessToken): Promise<number> {
    return this.store.use(() => Number(this.insertTokenStatement.run(token).lastInsertRowid));
  }

  findToken(tokenDigest: string): Promise<AccessTokenRow | undefined> {
    return this.store.use(() => this.tokenByDigest.get(tokenDigest));
  }

  deleteToken(_tx: Tx, tokenDigest: string, appId: number): Promise<boolean> {
    return this.store.use(() => this.deleteTokenStatement.run(tokenDigest, appId).changes > 0);
  }
}
