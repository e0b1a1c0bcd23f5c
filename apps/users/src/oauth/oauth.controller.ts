import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SignInCsrf } from './csrf';
import { MastodonToken, OAuthService, AuthorizationRequest, AuthorizationRequestError } from './oauth.service';
import { codePage, deniedPage, invalidRequestPage, signInPage } from './sign-in.page';
import {
  ApiBasicAuth,
  ApiConsumes,
  ApiMastodon,
  ApiOperation,
  ApiResponse,
  ApiTags,
  MASTODON_TOKEN_SCHEMA,
  MastodonParams,
  ProblemException,
  textParam,
} from '@app/common';

const HTML_PAGE = { type: 'string', description: 'an HTML page' };

/** A page a person signs in on must not be framed, cached or leak its query onward. */
function pageHeaders(reply: FastifyReply, status: number): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header('X-Frame-Options', 'DENY')
    .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .header('Referrer-Policy', 'no-referrer');
}

@ApiTags('mastodon: oauth')
@Controller('oauth')
export class OAuthController {
  constructor(
    private readonly oauth: OAuthService,
    private readonly csrf: SignInCsrf,
  ) {}

  @Get('authorize')
  @ApiOperation({ summary: 'The sign-in page an app sends a person to (HTML)' })
  @ApiResponse({ status: 200, description: 'the sign-in page', content: { 'text/html': { schema: HTML_PAGE } } })
  @ApiResponse({
    status: 400,
    description: 'a page saying why the link cannot be used (unknown app, unregistered redirect URI)',
    content: { 'text/html': { schema: HTML_PAGE } },
  })
  async signInForm(@MastodonParams() params: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const authorization = await this.requestOrPage(params, reply);
    if (!authorization) return;
    pageHeaders(reply, 200).send(signInPage(authorization, this.csrf.tokenFor(request, reply)));
  }

  @Post('authorize')
  @ApiOperation({ summary: "The sign-in page's form: Authorize or Deny" })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiResponse({ status: 302, description: "to the app's redirect URI with `code` and `state`, or `error=access_denied`" })
  @ApiResponse({ status: 200, description: 'out of band: a page that shows the code', content: { 'text/html': { schema: HTML_PAGE } } })
  @ApiResponse({ status: 401, description: 'the page again: wrong username or password', content: { 'text/html': { schema: HTML_PAGE } } })
  @ApiResponse({ status: 403, description: 'the form did not come from this site (CSRF)', content: { 'text/html': { schema: HTML_PAGE } } })
  @ApiResponse({ status: 429, description: 'the page again: too many failed sign-ins', content: { 'text/html': { schema: HTML_PAGE } } })
  async signIn(@MastodonParams() params: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!this.csrf.verify(request, reply, params._csrf)) {
      pageHeaders(reply, 403).send(invalidRequestPage('This form has expired or did not come from this site. Go back to the app and sign in again.'));
      return;
    }
    const authorization = await this.requestOrPage(params, reply);
    if (!authorization) return;
    if (textParam(params, 'decision') !== 'authorize') {
      const outcome = this.oauth.denied(authorization);
      if (outcome) reply.redirect(outcome.redirect, 302);
      else pageHeaders(reply, 200).send(deniedPage(authorization.app.name));
      return;
    }
    const username = textParam(params, 'username') ?? '';
    try {
      const outcome = await this.oauth.authorize(authorization, username, textParam(params, 'password') ?? '', request.ip);
      if ('redirect' in outcome) reply.header('Cache-Control', 'no-store').redirect(outcome.redirect, 302);
      else pageHeaders(reply, 200).send(codePage(authorization.app.name, outcome.showCode));
    } catch (error) {
      if (!(error instanceof ProblemException) || (error.getStatus() !== 401 && error.getStatus() !== 429)) throw error;
      const message =
        error.getStatus() === 401 ? 'The username or password is wrong.' : `Too many failed sign-ins. Try again in ${error.headers['Retry-After']} seconds.`;
      pageHeaders(reply, error.getStatus()).headers(error.getStatus() === 429 ? { 'Retry-After': error.headers['Retry-After'] } : {});
      reply.send(signInPage(authorization, this.csrf.tokenFor(request, reply), message, username));
    }
  }

  @Post('token')
  @HttpCode(200)
  @ApiOperation({ summary: 'A token for an authorization code (PKCE S256 honoured), a password, or the app itself' })
  @ApiBasicAuth('basic')
  @ApiMastodon(MASTODON_TOKEN_SCHEMA, [400, 401, 429])
  token(@MastodonParams() params: Record<string, unknown>, @Req() request: FastifyRequest): Promise<MastodonToken> {
    return this.oauth.token(params, request.headers.authorization, request.ip);
  }

  @Post('revoke')
  @HttpCode(200)
  @ApiOperation({ summary: "Revoke one of the app's tokens (an unknown token is no error)" })
  @ApiBasicAuth('basic')
  @ApiMastodon({ type: 'object' }, [400, 401])
  async revoke(@MastodonParams() params: Record<string, unknown>): Promise<Record<string, never>> {
    await this.oauth.revoke(params);
    return {};
  }

  /** The checked request, or null once a page saying why it cannot be used has been sent. */
  private async requestOrPage(params: Record<string, unknown>, reply: FastifyReply): Promise<AuthorizationRequest | null> {
    try {
      return await this.oauth.authorizationRequest(params);
    } catch (error) {
      if (!(error instanceof AuthorizationRequestError)) throw error;
      pageHeaders(reply, 400).send(invalidRequestPage(error.message));
      return null;
    }
  }
}
