import { Inject, Injectable } from '@nestjs/common';
import OAuth2Server, { OAuthError, Request as OAuthRequest, Response as OAuthResponse } from '@node-oauth/oauth2-server';
import {
  credentialDigest,
  DEFAULT_SCOPES,
  grantOfStoredToken,
  isOpaqueToken,
  KNOWN_SCOPES,
  newOpaqueCredential,
  OAuthTokenVerifier,
  parseScopes,
  TokenGrant,
} from '@app/auth';
import { BaseConfig } from '@app/config';
import { listParam, MastodonError, mastodonUnprocessable, ProblemException, textParam } from '@app/common';
import { OUTBOX, Outbox, USER_EVENTS } from '@app/events';
import { AuthService } from '../auth/auth.service';
import { USERS_REPOSITORY, UsersRepository } from '../users/users.repository';
import { MastodonApplication, toApplication } from './app.view';
import { IssuedToken, OAuthModel, OAuthUser } from './oauth-model';
import { OAUTH_REPOSITORY, OAuthAppRow, OAuthRepository } from './oauth.repository';

/** Mastodon's out-of-band redirect: the sign-in page shows the code instead of redirecting. */
export const OOB_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';
const CODE_LIFETIME_SECONDS = 600;
/** Tokens do not expire (Mastodon's); the library wants a lifetime, which nothing reads. */
const TOKEN_LIFETIME_SECONDS = 100 * 365 * 24 * 3600;
const MAX_REDIRECT_URIS = 10;
const MAX_NAME_LENGTH = 200;

/** Mastodon's Token entity. */
export interface MastodonToken {
  access_token: string;
  token_type: 'Bearer';
  scope: string;
  created_at: number;
}

/** A sign-in request the page may show: the app, where the answer goes, and what it asks for. */
export interface AuthorizationRequest {
  app: OAuthAppRow;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
}

/** Where the browser goes after the sign-in page: the app's redirect, or the page that shows the code. */
export type AuthorizationOutcome = { redirect: string } | { showCode: string };

/** A sign-in request that cannot go back to the app (unknown app, unregistered redirect). */
export class AuthorizationRequestError extends Error {}

/** Apps, sign-in and tokens of Mastodon's OAuth 2, with @node-oauth/oauth2-server deciding the grants. */
@Injectable()
export class OAuthService implements OAuthTokenVerifier {
  constructor(
    @Inject(OAUTH_REPOSITORY) private readonly oauth: OAuthRepository,
    @Inject(USERS_REPOSITORY) private readonly users: UsersRepository,
    @Inject(OUTBOX) private readonly events: Outbox,
    private readonly auth: AuthService,
    private readonly config: BaseConfig,
  ) {}

  async registerApp(params: Record<string, unknown>): Promise<MastodonApplication> {
    const name = textParam(params, 'client_name')?.trim();
    if (!name) throw mastodonUnprocessable("Validation failed: Application name can't be blank");
    if ([...name].length > MAX_NAME_LENGTH)
      throw mastodonUnprocessable(`Validation failed: Application name is too long (maximum is ${MAX_NAME_LENGTH} characters)`);
    const redirectUris = redirectUrisOf(params);
    const scopes = parseScopes(textParam(params, 'scopes'));
    const unknown = scopes.filter((scope) => !KNOWN_SCOPES.has(scope));
    if (unknown.length > 0) throw mastodonUnprocessable(`Validation failed: Scopes unknown: ${unknown.join(', ')}`);
    const website = textParam(params, 'website');
    if (website !== undefined && !isAbsoluteUrl(website)) throw mastodonUnprocessable('Validation failed: Website is not a URL');
    const clientSecret = newOpaqueCredential('mbs_');
    const row: Omit<OAuthAppRow, 'id'> = {
      name,
      website: website ?? null,
      redirect_uris: redirectUris.join('\n'),
      scopes: (scopes.length > 0 ? scopes : DEFAULT_SCOPES).join(' '),
      client_id: newOpaqueCredential('mbi_'),
      client_secret_digest: credentialDigest(this.config.JWT_SECRET, clientSecret),
      created_at: new Date().toISOString(),
    };
    const id = await this.oauth.writeTransaction((tx) => this.oauth.insertApp(tx, row));
    return toApplication({ ...row, id }, clientSecret);
  }

  async application(grant: TokenGrant): Promise<MastodonApplication> {
    const app = grant.appId === undefined ? undefined : await this.oauth.findAppById(grant.appId);
    if (!app) throw mastodonUnprocessable('This token was not issued to an app');
    return toApplication(app);
  }

  /** The sign-in page's request, checked before a person sees anything of it. */
  async authorizationRequest(params: Record<string, unknown>): Promise<AuthorizationRequest> {
    const clientId = textParam(params, 'client_id');
    const app = clientId === undefined ? undefined : await this.oauth.findAppByClientId(clientId);
    if (!app || clientId === undefined) throw new AuthorizationRequestError('This sign-in link names no app registered here (client_id).');
    const registered = app.redirect_uris.split('\n');
    const redirectUri = textParam(params, 'redirect_uri') ?? (registered.length === 1 ? registered[0] : undefined);
    if (redirectUri === undefined || !registered.includes(redirectUri)) {
      throw new AuthorizationRequestError('The redirect URI of this sign-in link is not one the app registered.');
    }
    const responseType = textParam(params, 'response_type') ?? 'code';
    if (responseType !== 'code') throw new AuthorizationRequestError('Only response_type=code is supported.');
    const scopes = parseScopes(textParam(params, 'scope'));
    const requested = scopes.length > 0 ? scopes : DEFAULT_SCOPES;
    const appScopes = app.scopes.split(' ');
    const outside = requested.filter((scope) => !appScopes.includes(scope));
    if (outside.length > 0) throw new AuthorizationRequestError(`The app asks for scopes it did not register: ${outside.join(', ')}.`);
    const codeChallenge = textParam(params, 'code_challenge');
    const codeChallengeMethod = codeChallenge === undefined ? undefined : (textParam(params, 'code_challenge_method') ?? 'plain');
    if (codeChallengeMethod !== undefined && codeChallengeMethod !== 'S256') throw new AuthorizationRequestError('PKCE needs code_challenge_method=S256.');
    return { app, clientId, redirectUri, scopes: requested, state: textParam(params, 'state'), codeChallenge, codeChallengeMethod };
  }

  /** The person said no: the app hears access_denied (or the page says so, out of band). */
  denied(request: AuthorizationRequest): { redirect: string } | null {
    if (request.redirectUri === OOB_REDIRECT_URI) return null;
    return {
      redirect: withQuery(request.redirectUri, { error: 'access_denied', error_description: 'The resource owner denied the request', state: request.state }),
    };
  }

  /** Signs the person in (the login throttle applies) and issues the app a code for them. */
  async authorize(request: AuthorizationRequest, username: string, password: string, clientAddress: string): Promise<AuthorizationOutcome> {
    const account = await this.auth.verifyPassword(username, password, clientAddress);
    const server = this.server(clientAddress);
    const body = {
      client_id: request.clientId,
      redirect_uri: request.redirectUri,
      response_type: 'code',
      scope: request.scopes.join(' '),
      ...(request.state === undefined ? {} : { state: request.state }),
      ...(request.codeChallenge === undefined ? {} : { code_challenge: request.codeChallenge, code_challenge_method: request.codeChallengeMethod }),
    };
    const code = await this.run(() =>
      server.authorize(new OAuthRequest({ method: 'POST', query: {}, headers: {}, body }), new OAuthResponse(), {
        authenticateHandler: { handle: (): OAuthUser => ({ account }) },
        allowEmptyState: true,
        authorizationCodeLifetime: CODE_LIFETIME_SECONDS,
      }),
    );
    if (request.redirectUri === OOB_REDIRECT_URI) return { showCode: code.authorizationCode };
    return { redirect: withQuery(request.redirectUri, { code: code.authorizationCode, state: request.state }) };
  }

  /** POST /oauth/token: the grant the library checks, answered as Mastodon's Token. */
  async token(params: Record<string, unknown>, authorization: string | undefined, clientAddress: string): Promise<MastodonToken> {
    const body = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));
    // The library reads forms only; apps also send JSON and multipart, parsed the same way.
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1' };
    if (authorization) headers.authorization = authorization;
    const token = await this.run(() =>
      this.server(clientAddress).token(new OAuthRequest({ method: 'POST', query: {}, headers, body }), new OAuthResponse(), {
        requireClientAuthentication: { authorization_code: true, password: true, client_credentials: true },
      }),
    );
    return {
      access_token: token.accessToken,
      token_type: 'Bearer',
      scope: (token.scope ?? DEFAULT_SCOPES).join(' '),
      created_at: Math.floor(Date.now() / 1000),
    };
  }

  /** RFC 7009: the app's own token is revoked; an unknown token is no error. */
  async revoke(params: Record<string, unknown>): Promise<void> {
    const clientId = textParam(params, 'client_id');
    const token = textParam(params, 'token');
    // The token endpoint's client check (no password is checked, so no client address); a missing secret never matches.
    const client = clientId === undefined ? false : await this.model('').getClient(clientId, textParam(params, 'client_secret') ?? '');
    if (!client) {
      throw new MastodonError(
        401,
        'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
        {},
        'invalid_client',
      );
    }
    if (token === undefined) throw new MastodonError(400, 'The request is missing a required parameter: token.', {}, 'invalid_request');
    const digest = credentialDigest(this.config.JWT_SECRET, token);
    await this.oauth.writeTransaction(async (tx) => {
      const stored = await this.oauth.findToken(digest);
      if (stored && (await this.oauth.deleteToken(tx, digest, client.app.id))) {
        await this.events.record(tx, USER_EVENTS.tokenRevoked, { tokenId: stored.id, digest });
      }
    });
  }

  /** An opaque token's grant, read from this service's own database on every request. */
  async verify(token: string): Promise<TokenGrant | null> {
    if (!isOpaqueToken(token)) return null;
    const row = await this.oauth.findToken(credentialDigest(this.config.JWT_SECRET, token));
    return row ? grantOfStoredToken(row) : null;
  }

  private server(clientAddress: string): OAuth2Server {
    return new OAuth2Server({ model: this.model(clientAddress), accessTokenLifetime: TOKEN_LIFETIME_SECONDS });
  }

  /** The library's model for one request: a password is checked under that client address's throttle. */
  private model(clientAddress: string): OAuthModel {
    return new OAuthModel({
      repository: this.oauth,
      secret: this.config.JWT_SECRET,
      checkPassword: async (username, password) => {
        try {
          return await this.auth.verifyPassword(username, password, clientAddress);
        } catch (error) {
          if (error instanceof ProblemException && error.getStatus() === 401) return null;
          throw error;
        }
      },
      saveToken: (issued) => this.saveToken(issued),
    });
  }

  private async saveToken(issued: IssuedToken): Promise<void> {
    const digest = credentialDigest(this.config.JWT_SECRET, issued.token);
    await this.oauth.writeTransaction(async (tx) => {
      const user = issued.userId === null ? undefined : await this.users.findById(issued.userId);
      if (issued.userId !== null && !user) throw new MastodonError(400, 'The account no longer exists.', {}, 'invalid_grant');
      const credentialsVersion = user?.credentials_version ?? null;
      const scopes = issued.scopes.join(' ');
      const tokenId = await this.oauth.insertToken(tx, {
        token_digest: digest,
        app_id: issued.appId,
        user_id: issued.userId,
        scopes,
        credentials_version: credentialsVersion,
        created_at: issued.createdAt.toISOString(),
      });
      await this.events.record(tx, USER_EVENTS.tokenIssued, { tokenId, digest, userId: issued.userId, appId: issued.appId, scopes, credentialsVersion });
    });
  }

  /** The library's errors as Mastodon's; what our own code threw (a throttled login) as itself. */
  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const inner = (error as { inner?: unknown }).inner;
      if (inner instanceof ProblemException || inner instanceof MastodonError) throw inner;
      if (error instanceof OAuthError && error.code < 500) {
        const status = error.name === 'invalid_client' ? 401 : error.code;
        throw new MastodonError(status, error.message, {}, error.name);
      }
      throw error;
    }
  }
}

function redirectUrisOf(params: Record<string, unknown>): string[] {
  const given = listParam(params, 'redirect_uris')
    .flatMap((value) => value.split(/\s+/))
    .filter(Boolean);
  const uris = given.length > 0 ? given : [OOB_REDIRECT_URI];
  if (uris.length > MAX_REDIRECT_URIS) throw mastodonUnprocessable(`Validation failed: at most ${MAX_REDIRECT_URIS} redirect URIs`);
  const invalid = uris.filter((uri) => uri !== OOB_REDIRECT_URI && !isAbsoluteUrl(uri));
  if (invalid.length > 0) throw mastodonUnprocessable('Validation failed: Redirect URI must be an absolute URI.');
  return [...new Set(uris)];
}

function isAbsoluteUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol.length > 1 && !url.hash && !/[\s\n]/.test(text);
  } catch {
    return false;
  }
}

function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}
