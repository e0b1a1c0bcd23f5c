import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiMastodon,
  ApiMastodonPaging,
  ApiMastodonToken,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  idRange,
  LINK_HEADER,
  MastodonIdPipe,
  MastodonParams,
  PublicOrigin,
  STATUS_LIST_SCHEMA,
  STATUS_PAGE_LIMITS,
  textParam,
} from '@app/common';
import { Grant, OptionalToken, TokenGrant, UserToken } from '@app/auth';
import { emptyList, withLink } from './mastodon-page.reply';
import { MastodonTimelinesService } from './mastodon-timelines.service';

const callerOf = (request: FastifyRequest) => ({ clientAddress: request.ip, requestId: request.id });
const isTrue = (value: string | undefined) => value === 'true' || value === '1';

/** Mastodon's timelines and lists of statuses: the native timelines' pages, as statuses. */
@ApiTags('mastodon: timelines')
@Controller('api/v1')
export class MastodonTimelinesController {
  constructor(private readonly timelines: MastodonTimelinesService) {}

  @Get('timelines/home')
  @UserToken('read:statuses')
  @ApiMastodonToken()
  @ApiOperation({ summary: 'Your statuses and reblogs and those of everyone you follow, newest first' })
  @ApiMastodonPaging(STATUS_PAGE_LIMITS)
  @ApiMastodon(STATUS_LIST_SCHEMA, [401, 403, 422, 503], LINK_HEADER)
  async home(
    @Grant() grant: TokenGrant,
    @MastodonParams() params: Record<string, unknown>,
    @PublicOrigin() origin: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    const range = idRange(params);
    const page = await this.timelines.home(grant.user!, range, callerOf(request), origin);
    return withLink(reply, origin, '/api/v1/timelines/home', range, page);
  }

  @Get('timelines/public')
  @OptionalToken()
  @ApiMastodonToken()
  @ApiOperation({ summary: 'Every status and reblog, newest first (replies stay under their status); `remote=true` and `only_media=true` are empty' })
  @ApiMastodonPaging(STATUS_PAGE_LIMITS)
  @ApiQuery({ name: 'local', required: false, schema: { type: 'boolean' } })
  @ApiQuery({ name: 'remote', required: false, schema: { type: 'boolean' } })
  @ApiQuery({ name: 'only_media', required: false, schema: { type: 'boolean' } })
  @ApiMastodon(STATUS_LIST_SCHEMA, [401, 422], LINK_HEADER)
  async publicTimeline(
    @Grant() grant: TokenGrant | null,
    @MastodonParams() params: Record<string, unknown>,
    @PublicOrigin() origin: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    const range = idRange(params);
    // Every status is local, and none has media.
    if (isTrue(textParam(params, 'remote')) || isTrue(textParam(params, 'only_media'))) return emptyList(reply);
    const page = await this.timelines.publicTimeline(range, grant?.user ?? null, origin);
    return withLink(reply, origin, '/api/v1/timelines/public', range, page);
  }

  @Get('accounts/:id/statuses')
  @OptionalToken()
  @ApiMastodonToken()
  @ApiOperation({
    summary: "An account's statuses and reblogs, newest first (its replies stay under their status); `pinned=true` and `only_media=true` are empty",
  })
  @ApiParam({ name: 'id', schema: { type: 'string', pattern: '^[0-9]+$' } })
  @ApiMastodonPaging(STATUS_PAGE_LIMITS)
  @ApiMastodon(STATUS_LIST_SCHEMA, [401, 404, 422], LINK_HEADER)
  async accountStatuses(
    @Grant() grant: TokenGrant | null,
    @Param('id', MastodonIdPipe) id: number,
    @MastodonParams() params: Record<string, unknown>,
    @PublicOrigin() origin: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    const range = idRange(params);
    if (isTrue(textParam(params, 'pinned')) || isTrue(textParam(params, 'only_media'))) return emptyList(reply);
    const page = await this.timelines.accountStatuses(id, range, grant?.user ?? null, origin);
    return withLink(reply, origin, `/api/v1/accounts/${id}/statuses`, range, page);
  }

  @Get('favourites')
  @UserToken('read:favourites')
  @ApiMastodonToken()
  @ApiOperation({ summary: 'The statuses you favourited, newest favourite first, paged by `Link`' })
  @ApiMastodonPaging(STATUS_PAGE_LIMITS)
  @ApiMastodon(STATUS_LIST_SCHEMA, [401, 403, 422], LINK_HEADER)
  async favourites(
    @Grant() grant: TokenGrant,
    @MastodonParams() params: Record<string, unknown>,
    @PublicOrigin() origin: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    const range = idRange(params);
    const page = await this.timelines.favourites(grant.user!, range, origin);
    return withLink(reply, origin, '/api/v1/favourites', range, page);
  }
}
