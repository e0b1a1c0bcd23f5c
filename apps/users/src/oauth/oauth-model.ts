import type { AuthorizationCode, AuthorizationCodeModel, Client, ClientCredentialsModel, PasswordModel, Token, User } from '@node-oauth/oauth2-server';
import { AuthUser, credentialDigest, DEFAULT_SCOPES, newOpaqueCredential, OPAQUE_TOKEN_PREFIX } from '@app/auth';
import { OAuthAppRow, OAuthRepository } from './oauth.repository';

export const CODE_PREFIX = 'mbc_';
export const GRANTS = ['authorization_code', 'password', 'client_credentials'];

/** The client @node-oauth/oauth2-server works with: an app as registered. */
export interface OAuthClient extends Client {
  app: OAuthAppRow;
}

function clientOf(app: OAuthAppRow): OAuthClient {
  return { id: app.client_id, app, grants: GRANTS, redirectUris: app.redirect_uris.split('\n') };
}

/** A token's owner: a user, or for client_credentials the app itself (no user). */
export type OAuthUser = User & { account: AuthUser | null };

export interface IssuedToken {
  token: string;
  scopes: string[];
  createdAt: Date;
  appId: number;
  userId: number | null;
}

/** What the model needs from the service: how a password is checked and how a token is saved. */
export interface OAuthModelPorts {
  repository: OAuthRepository;
  secret: string;
  checkPassword(username: string, password: string): Promise<AuthUser | null>;
  saveToken(issued: IssuedToken): Promise<void>;
}

/**
 * Mastodon's rules in @node-oauth/oauth2-server's terms: apps are clients, a requested scope
 * must be one the app registered, codes live 10 minutes and are used once, tokens never
 * expire; only digests of codes, tokens and secrets are stored.
 */
export class OAuthModel implements AuthorizationCodeModel, PasswordModel, ClientCredentialsModel {
  constructor(private readonly ports: OAuthModelPorts) {}

  async getClient(clientId: string, clientSecret: string | null): Promise<OAuthClient | false> {
    const app = await this.ports.repository.findAppByClientId(clientId);
    if (!app) return false;
    if (clientSecret !== null && clientSecret !== undefined && credentialDigest(this.ports.secret, clientSecret) !== app.client_secret_digest) return false;
    return clientOf(app);
  }

  async validateRedirectUri(redirectUri: string, client: Client): Promise<boolean> {
    return (client as OAuthClient).app.redirect_uris.split('\n').includes(redirectUri);
  }

  async validateScope(_user: User, client: Client, scope?: string[]): Promise<string[] | false> {
    const registered = (client as OAuthClient).app.scopes.split(' ');
    const requested = scope && scope.length > 0 ? scope : DEFAULT_SCOPES;
    return requested.every((name) => registered.includes(name)) ? requested : false;
  }

  async generateAuthorizationCode(): Promise<string> {
    return newOpaqueCredential(CODE_PREFIX);
  }

  async saveAuthorizationCode(code: AuthorizationCode, client: Client, user: User): Promise<AuthorizationCode> {
    const { repository } = this.ports;
    await repository.writeTransaction((tx) =>
      repository.insertCode(tx, {
        code_digest: credentialDigest(this.ports.secret, code.authorizationCode),
        app_id: (client as OAuthClient).app.id,
        user_id: (user as OAuthUser).account!.id,
        redirect_uri: code.redirectUri,
        scopes: (code.scope ?? DEFAULT_SCOPES).join(' '),
        code_challenge: code.codeChallenge ?? null,
        code_challenge_method: code.codeChallengeMethod ?? null,
        expires_at: code.expiresAt.toISOString(),
      }),
    );
    return { ...code, client, user };
  }

  async getAuthorizationCode(authorizationCode: string): Promise<AuthorizationCode | false> {
    const row = await this.ports.repository.findCode(credentialDigest(this.ports.secret, authorizationCode));
    if (!row) return false;
    const app = await this.ports.repository.findAppById(row.app_id);
    if (!app) return false;
    const client = clientOf(app);
    return {
      authorizationCode,
      expiresAt: new Date(row.expires_at),
      redirectUri: row.redirect_uri,
      scope: row.scopes.split(' '),
      client,
      user: { userId: row.user_id } as User,
      ...(row.code_challenge ? { codeChallenge: row.code_challenge, codeChallengeMethod: row.code_challenge_method ?? 'plain' } : {}),
    };
  }

  async revokeAuthorizationCode(code: AuthorizationCode): Promise<boolean> {
    const { repository, secret } = this.ports;
    return repository.writeTransaction((tx) => repository.deleteCode(tx, credentialDigest(secret, code.authorizationCode)));
  }

  async getUser(username: string, password: string): Promise<OAuthUser | false> {
    const account = await this.ports.checkPassword(username, password);
    return account ? { account } : false;
  }

  async getUserFromClient(): Promise<OAuthUser> {
    return { account: null };
  }

  async generateAccessToken(): Promise<string> {
    return newOpaqueCredential(OPAQUE_TOKEN_PREFIX);
  }

  async saveToken(token: Token, client: Client, user: User): Promise<Token> {
    const owner = user as OAuthUser & { userId?: number };
    const userId = owner.account?.id ?? owner.userId ?? null;
    await this.ports.saveToken({
      token: token.accessToken,
      scopes: token.scope ?? DEFAULT_SCOPES,
      createdAt: new Date(),
      appId: (client as OAuthClient).app.id,
      userId,
    });
    return { ...token, client, user };
  }

  /** Only the routes' own guard authenticates requests; the library's authenticate() is unused. */
  async getAccessToken(): Promise<false> {
    return false;
  }
}
