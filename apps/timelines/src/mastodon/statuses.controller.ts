import { Controller, Delete, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RouteSchema } from '@nestjs/platform-fastify';
import {
  ACCOUNT_LIST_SCHEMA,
  ACCOUNT_PAGE_LIMITS,
  ApiIdempotencyKey,
  ApiMastodon,
  ApiMastodonPaging,
  ApiMastodonToken,
  ApiOperation,
  ApiParam,
  ApiTags,
  CONTEXT_SCHEMA,
  idRange,
  LINK_HEADER,
  MastodonAccount,
  MastodonIdPipe,
  MastodonParams,
  MastodonStatus,
  PublicOrigin,
  setMastodonLink,
  STATUS_SCHEMA,
} from '@app/common';
import { Grant, OptionalToken, TokenGrant, UserToken } from '@app/auth';
import { Idempotent } from '@app/idempotency';
import { MastodonStatusesService } from './mastodon-statuses.service';

const StatusId = () => ApiParam({ name: 'id', schema: { type: 'string', pattern: '^[0-9]+$' } });

/** Mastodon's statuses: the native posts, likes and reposts, through PostsService's rules. */
@ApiTags('mastodon: statuses')
@Controller('api/v1/statuses')
export class StatusesController {
  constructor(private readonly statuses: MastodonStatusesService) {}

  @Post()
  @HttpCode(200)
  @UserToken('write:statuses')
  @Idempotent()
  @ApiOperation({ summary: 'Post a status (`status`, `in_reply_to_id`); media, polls, other visibilities, content warnings and scheduling are a 422' })
  @ApiMastodonToken()
  @ApiIdempotencyKey()
  @ApiMastodon(STATUS_SCHEMA, [401, 403, 404, 409, 422, 429])
  @RouteSchema({ response: { 200: STATUS_SCHEMA } })
  create(@Grant() grant: TokenGrant, @MastodonParams() params: Record<string, unknown>, @PublicOrigin() origin: string): Promise<MastodonStatus> {
    return this.statuses.create(grant.user!, params, origin);
  }

  @Get(':id')
  @OptionalToken()
  @ApiMastodonToken()
  @ApiOperation({ summary: 'A status' })
  @StatusId()
  @ApiMastodon(STATUS_SCHEMA, [401, 404])
  @RouteSchema({ response: { 200: STATUS_SCHEMA } })
  status(@Grant() grant: TokenGrant | null, @Param('id', MastodonIdPipe) id: number, @PublicOrigin() origin: string): Promise<MastodonStatus> {
    return this.statuses.status(id, grant?.user ?? null, origin);
  }

  @Put(':id')
  @UserToken('write:statuses')
  @ApiMastodonToken()
  @ApiOperation({ summary: "Edit your status's text (`status`)" })
  @StatusId()
  @ApiMastodon(STATUS_SCHEMA, [401, 403, 404, 422])
  @RouteSchema({ response: { 200: STATUS_SCHEMA } })
  edit(
    @Grant() grant: TokenGrant,
    @Param('id', MastodonIdPipe) id: number,
    @MastodonParams() params: Record<string, unknown>,
    @PublicOrigin() origin: string,
  ): Promise<MastodonStatus> {
    return this.statuses.edit(grant.user!, id, params, origin);
  }

  @Delete(':id')
  @UserToken('write:statuses')
  @ApiMastodonToken()
  @ApiOperation({ summary: "Delete your status (an admin: anyone's); answers it with its `text`" })
  @StatusId()
  @ApiMastodon(STATUS_SCHEMA, [401, 403, 404])
  @RouteSchema({ response: { 200: STATUS_SCHEMA } })
  delete(@Grant() grant: TokenGrant, @Param('id', MastodonIdPipe) id: number, @PublicOrigin() origin: string): Promise<MastodonStatus> {
    return this.statuses.delete(grant.user!, id, origin);
  }

  @Get(':id/context')
  @OptionalToken()
  @ApiMastodonToken()
  @ApiOperation({ summary: 'The replies above a status (ancestors) and below it (descendants, oldest first)' })
  @StatusId()
  @ApiMastodon(CONTEXT_SCHEMA, [401, 404])
  @RouteSchema({ response: { 200: CONTEXT_SCHEMA } })
  context(@Grant() grant: TokenGrant | null, @Param('id', MastodonIdPipe) id: number, @PublicOrigin() origin: string) {
    return this.statuses.context(id, grant?.user ?? null, origin);
  }

  @Post(':id/favourite')
  @HttpCode(200)
  @UserToken('write:favourites')
  @ApiMastodonToken()
  @ApiOperation({ summary: 'Favourite (like) a status; again: the same answer' })
  @StatusId()
  @ApiMastodon(STATUS_SCHEMA, [401, 403, 404])
  @RouteSchema({ response: { 200: STATUS_SCHEMA } })
  favourite(@Grant() grant: TokenGrant, @Param('id', MastodonIdPipe) id: number, @PublicOrigin() origin: string): Promise<MastodonStatus> {
    return this.statuses.favourite(grant.user!, id, origin);
  }

  @Post(':id/unfavourite')
  @HttpCode(200)
  @UserToken('write:favourites')
  @ApiMastodonToken()
  @ApiOperation({ summary: 'Take a favourite back; again: the same answer' })
  @StatusId()
  @ApiMastodon(STATUS_SCHEMA, [401, 403, 404])
  @RouteSchema({ response: { 200: STATUS_SCHEMA } })
  unfavourite(@Grant() grant: TokenGrant, @Param('id', MastodonIdPipe) id: number, @PublicOrigin() origin: string): Promise<MastodonStatus> {
    return this.statuses.unfavourite(grant.user!, id, origin);
  }

  @Post(':id/reblog')
  @HttpCode(200)
  @UserToken('write:statuses')
  @ApiMastodonToken()
  @ApiOperation({ summary: 'Reblog (repost) a status: a status of its own with the original in `reblog`; again: the same one' })
  @StatusId()
  @ApiMastodon(STATUS_SCHEMA, [401, 403, 404])
  @RouteSchema({ response: { 200: STATUS_SCHEMA } })
  reblog(@Grant() grant: TokenGrant, @Param('id', MastodonIdPipe) id: number, @PublicOrigin() origin: string): Promise<MastodonStatus> {
    return this.statuses.reblog(grant.user!, id, origin);
  }

  @Post(':id/unreblog')
  @HttpCode(200)
  @UserToken('write:statuses')
  @ApiMastodonToken()
  @ApiOperation({ summary: 'Take your reblog back; answers the original' })
  @StatusId()
  @ApiMastodon(STATUS_SCHEMA, [401, 403, 404])
  @RouteSchema({ response: { 200: STATUS_SCHEMA } })
  unreblog(@Grant() grant: TokenGrant, @Param('id', MastodonIdPipe) id: number, @PublicOrigin() origin: string): Promise<MastodonStatus> {
    return this.statuses.unreblog(grant.user!, id, origin);
  }

  @Get(':id/favourited_by')
  @OptionalToken()
  @ApiMastodonToken()
  @ApiOperation({ summary: 'Who favourited a status, newest account id first, paged by `Link`' })
  @StatusId()
  @ApiMastodonPaging(ACCOUNT_PAGE_LIMITS)
  @ApiMastodon(ACCOUNT_LIST_SCHEMA, [401, 404, 422], LINK_HEADER)
  async favouritedBy(
    @Param('id', MastodonIdPipe) id: number,
    @MastodonParams() params: Record<string, unknown>,
    @PublicOrigin() origin: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MastodonAccount[]> {
    const range = idRange(params, ACCOUNT_PAGE_LIMITS);
    const page = await this.statuses.favouritedBy(id, range, origin);
    setMastodonLink(reply, origin, `/api/v1/statuses/${id}/favourited_by`, page.ids, range.limit);
    return page.accounts;
  }

  @Get(':id/reblogged_by')
  @OptionalToken()
  @ApiMastodonToken()
  @ApiOperation({ summary: 'Who reblogged a status, newest account id first, paged by `Link`' })
  @StatusId()
  @ApiMastodonPaging(ACCOUNT_PAGE_LIMITS)
  @ApiMastodon(ACCOUNT_LIST_SCHEMA, [401, 404, 422], LINK_HEADER)
  async rebloggedBy(
    @Param('id', MastodonIdPipe) id: number,
    @MastodonParams() params: Record<string, unknown>,
    @PublicOrigin() origin: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MastodonAccount[]> {
    const range = idRange(params, ACCOUNT_PAGE_LIMITS);
    const page = await this.statuses.rebloggedBy(id, range, origin);
    setMastodonLink(reply, origin, `/api/v1/statuses/${id}/reblogged_by`, page.ids, range.limit);
    return page.accounts;
  }
}
