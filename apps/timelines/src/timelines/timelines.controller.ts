import { Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiCredentials, ApiOperation, ApiPage, ApiProblems, ApiTags, PageQuery, PageRequest } from '@app/common';
import { AuthUser, CredentialsGuard, CurrentUser } from '@app/auth';
import { POST_LIST_SCHEMA } from '../posts/post.schema';
import { PostListRenderer } from '../posts/post-list.renderer';
import { TimelinesService } from './timelines.service';

const callerOf = (request: FastifyRequest) => ({ clientAddress: request.ip, requestId: request.id });

@ApiTags('timelines')
@Controller('timelines')
export class TimelinesController {
  constructor(
    private readonly timelines: TimelinesService,
    private readonly renderer: PostListRenderer,
  ) {}

  @Get('public')
  @ApiOperation({ summary: 'Every post and repost, newest first (comments only under their post)' })
  @ApiPage(POST_LIST_SCHEMA, 'a page of the public timeline')
  async publicTimeline(@PageQuery() page: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.renderer.reply(reply, await this.timelines.publicTimeline(page));
  }

  @Get('users/:username')
  @ApiOperation({ summary: "A user's posts and reposts, newest first" })
  @ApiPage(POST_LIST_SCHEMA, "a page of the user's timeline")
  @ApiProblems(404, 503)
  async userTimeline(
    @Param('username') username: string,
    @PageQuery() page: PageRequest,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.renderer.reply(reply, await this.timelines.userTimeline(username, page, callerOf(request)));
  }

  @Get('home')
  @ApiOperation({ summary: 'Your posts and those of everyone you follow, newest first' })
  @ApiCredentials()
  @ApiPage(POST_LIST_SCHEMA, 'a page of your home timeline')
  @ApiProblems(503)
  @UseGuards(CredentialsGuard)
  async home(
    @CurrentUser() user: AuthUser,
    @PageQuery() page: PageRequest,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.renderer.reply(reply, await this.timelines.homeTimeline(user, page, callerOf(request)));
  }
}
