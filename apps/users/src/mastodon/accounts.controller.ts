import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ACCOUNT_LIST_SCHEMA,
  ACCOUNT_PAGE_LIMITS,
  ACCOUNT_SCHEMA,
  ApiMastodon,
  ApiMastodonPaging,
  ApiMastodonToken,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  CREDENTIAL_ACCOUNT_SCHEMA,
  MastodonAccount,
  MastodonCredentialAccount,
  MastodonRelationship,
  idRange,
  LINK_HEADER,
  listParam,
  MastodonIdPipe,
  setMastodonLink,
  mastodonNotFound,
  MastodonParams,
  PublicOrigin,
  RELATIONSHIP_LIST_SCHEMA,
  RELATIONSHIP_SCHEMA,
  textParam,
} from '@app/common';
import { Grant, OptionalToken, TokenGrant, UserToken } from '@app/auth';
import { MastodonAccountsService } from './mastodon-accounts.service';

const AccountId = () => ApiParam({ name: 'id', schema: { type: 'string', pattern: '^[0-9]+$' } });

@ApiTags('mastodon: accounts')
@Controller('api/v1/accounts')
export class AccountsController {
  constructor(private readonly accounts: MastodonAccountsService) {}

  @Get('verify_credentials')
  @UserToken('read:accounts', 'profile')
  @ApiOperation({ summary: 'The signed-in account, with `source`' })
  @ApiMastodonToken()
  @ApiMastodon(CREDENTIAL_ACCOUNT_SCHEMA, [401, 403, 422])
  verifyCredentials(@Grant() grant: TokenGrant, @PublicOrigin() origin: string): Promise<MastodonCredentialAccount> {
    return this.accounts.credentials(grant.user!, origin);
  }

  @Get('lookup')
  @OptionalToken()
  @ApiMastodonToken()
  @ApiOperation({ summary: 'An account by its acct (the username)' })
  @ApiQuery({ name: 'acct', required: true, schema: { type: 'string' } })
  @ApiMastodon(ACCOUNT_SCHEMA, [401, 404])
  lookup(@MastodonParams() params: Record<string, unknown>, @PublicOrigin() origin: string): Promise<MastodonAccount> {
    const acct = textParam(params, 'acct');
    if (acct === undefined) throw mastodonNotFound();
    return this.accounts.lookup(acct, origin);
  }

  @Get('relationships')
  @UserToken('read:follows')
  @ApiOperation({ summary: 'How the signed-in account relates to each account of `id[]`' })
  @ApiMastodonToken()
  @ApiQuery({ name: 'id[]', required: false, schema: { type: 'array', items: { type: 'string' } } })
  @ApiMastodon(RELATIONSHIP_LIST_SCHEMA, [401, 403, 422])
  relationships(@Grant() grant: TokenGrant, @MastodonParams() params: Record<string, unknown>): Promise<MastodonRelationship[]> {
    const ids = listParam(params, 'id')
      .filter((id) => /^\d{1,15}$/.test(id))
      .map(Number);
    return this.accounts.relationships(grant.user!, ids);
  }

  @Get(':id')
  @OptionalToken()
  @ApiMastodonToken()
  @ApiOperation({ summary: 'An account' })
  @AccountId()
  @ApiMastodon(ACCOUNT_SCHEMA, [401, 404])
  account(@Param('id', MastodonIdPipe) id: number, @PublicOrigin() origin: string): Promise<MastodonAccount> {
    return this.accounts.account(id, origin);
  }

  @Post(':id/follow')
  @HttpCode(200)
  @UserToken('write:follows')
  @ApiOperation({ summary: 'Follow an account (again: the same answer)' })
  @ApiMastodonToken()
  @AccountId()
  @ApiMastodon(RELATIONSHIP_SCHEMA, [401, 403, 404, 422])
  follow(@Grant() grant: TokenGrant, @Param('id', MastodonIdPipe) id: number): Promise<MastodonRelationship> {
    return this.accounts.follow(grant.user!, id);
  }

  @Post(':id/unfollow')
  @HttpCode(200)
  @UserToken('write:follows')
  @ApiOperation({ summary: 'Stop following an account (again: the same answer)' })
  @ApiMastodonToken()
  @AccountId()
  @ApiMastodon(RELATIONSHIP_SCHEMA, [401, 403, 404, 422])
  unfollow(@Grant() grant: TokenGrant, @Param('id', MastodonIdPipe) id: number): Promise<MastodonRelationship> {
    return this.accounts.unfollow(grant.user!, id);
  }

  @Get(':id/followers')
  @OptionalToken()
  @ApiMastodonToken()
  @ApiOperation({ summary: 'Who follows an account, newest account id first, paged by `Link`' })
  @AccountId()
  @ApiMastodonPaging(ACCOUNT_PAGE_LIMITS)
  @ApiMastodon(ACCOUNT_LIST_SCHEMA, [401, 404, 422], LINK_HEADER)
  followers(
    @Param('id', MastodonIdPipe) id: number,
    @MastodonParams() params: Record<string, unknown>,
    @PublicOrigin() origin: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MastodonAccount[]> {
    return this.related('followers', id, params, origin, reply);
  }

  @Get(':id/following')
  @OptionalToken()
  @ApiMastodonToken()
  @ApiOperation({ summary: 'Whom an account follows, newest account id first, paged by `Link`' })
  @AccountId()
  @ApiMastodonPaging(ACCOUNT_PAGE_LIMITS)
  @ApiMastodon(ACCOUNT_LIST_SCHEMA, [401, 404, 422], LINK_HEADER)
  following(
    @Param('id', MastodonIdPipe) id: number,
    @MastodonParams() params: Record<string, unknown>,
    @PublicOrigin() origin: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MastodonAccount[]> {
    return this.related('following', id, params, origin, reply);
  }

  /** A page of followers or following, and its `Link` header. */
  private async related(
    list: 'followers' | 'following',
    id: number,
    params: Record<string, unknown>,
    origin: string,
    reply: FastifyReply,
  ): Promise<MastodonAccount[]> {
    const range = idRange(params, ACCOUNT_PAGE_LIMITS);
    const page = await this.accounts.related(list, id, range, origin);
    setMastodonLink(reply, origin, `/api/v1/accounts/${id}/${list}`, page.ids, range.limit);
    return page.accounts;
  }
}
