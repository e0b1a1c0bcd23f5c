import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiCredentials, ApiIdempotent, ApiOkResponse, ApiOperation, ApiProblems, ApiTags, asSchema } from '@app/common';
import { ACCESS_TOKEN_SCHEMA, VERIFIED_SCHEMA } from '../users/user.schema';
import { Idempotent } from '@app/idempotency';
import { AccessToken, AuthUser, CredentialsGuard, CurrentUser, TokenService } from '@app/auth';

@ApiTags('auth')
@Controller('auth')
@UseGuards(CredentialsGuard)
export class AuthController {
  constructor(private readonly tokens: TokenService) {}

  @Post('token')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'A Bearer token (JWT) valid for an hour, for Basic credentials or a valid token' })
  @ApiCredentials()
  @ApiIdempotent()
  @ApiOkResponse({ schema: asSchema(ACCESS_TOKEN_SCHEMA) })
  @ApiProblems(429)
  token(@CurrentUser() user: AuthUser): AccessToken {
    return this.tokens.issue(user);
  }

  /** Used by the timelines service to check Basic credentials; answers who they belong to. */
  @Post('verify')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Whom credentials belong to' })
  @ApiCredentials()
  @ApiIdempotent()
  @ApiOkResponse({ schema: asSchema(VERIFIED_SCHEMA) })
  @ApiProblems(429)
  verify(@CurrentUser() user: AuthUser): AuthUser {
    return { id: user.id, username: user.username, role: user.role, credentialsVersion: user.credentialsVersion };
  }
}
