import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiMastodon, ApiMastodonToken, ApiOperation, ApiTags, APPLICATION_SCHEMA, MastodonParams } from '@app/common';
import { AppToken, Grant, TokenGrant } from '@app/auth';
import { MastodonApplication } from './app.view';
import { OAuthService } from './oauth.service';

@ApiTags('mastodon: apps')
@Controller('api/v1/apps')
export class AppsController {
  constructor(private readonly oauth: OAuthService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Register an app: its client id and secret (`client_name`, `redirect_uris`, `scopes`, `website`)' })
  @ApiMastodon(APPLICATION_SCHEMA, [422])
  register(@MastodonParams() params: Record<string, unknown>): Promise<MastodonApplication> {
    return this.oauth.registerApp(params);
  }

  @Get('verify_credentials')
  @AppToken()
  @ApiOperation({ summary: 'The app a token was issued to' })
  @ApiMastodonToken()
  @ApiMastodon(APPLICATION_SCHEMA, [401, 422])
  verifyCredentials(@Grant() grant: TokenGrant): Promise<MastodonApplication> {
    return this.oauth.application(grant);
  }
}
