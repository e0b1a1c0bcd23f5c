import { Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { mastodonUnauthorized } from '@app/common';
import { TokenGrant } from '@app/auth';
import { OAuthService } from './oauth.service';

/**
 * Service to service (HAProxy never routes /internal): what an OAuth token allows, for a
 * service whose read model has not yet applied the event that issued it.
 */
@Controller('internal/oauth')
export class InternalOAuthController {
  constructor(private readonly oauth: OAuthService) {}

  @Post('verify')
  @HttpCode(200)
  async verify(@Headers('authorization') authorization: string | undefined): Promise<TokenGrant> {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
    const grant = token === undefined ? null : await this.oauth.verify(token);
    if (!grant) throw mastodonUnauthorized();
    return grant;
  }
}
