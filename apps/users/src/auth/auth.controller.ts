import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { Idempotent } from '@app/idempotency';
import { AccessToken, AuthUser, CredentialsGuard, CurrentUser, TokenService } from '@app/auth';

@Controller('auth')
@UseGuards(CredentialsGuard)
export class AuthController {
  constructor(private readonly tokens: TokenService) {}

  @Post('token')
  @Idempotent()
  @HttpCode(200)
  token(@CurrentUser() user: AuthUser): AccessToken {
    return this.tokens.issue(user);
  }

  /** Used by the timelines service to check Basic credentials; answers who they belong to. */
  @Post('verify')
  @Idempotent()
  @HttpCode(200)
  verify(@CurrentUser() user: AuthUser): AuthUser {
    return { id: user.id, username: user.username, role: user.role, credentialsVersion: user.credentialsVersion };
  }
}
