import { Controller, Get, Param, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiCredentials, ApiOperation, ApiPage, ApiProblems, ApiTags, PageQuery, PageRequest } from '@app/common';
import { AuthUser, CredentialsGuard, CurrentUser } from '@app/auth';
import { POST_LIST_SCHEMA } from '../posts/post.schema';
import { PostList } from '../posts/post.view';
import { TimelinesService } from './timelines.service';

const callerOf = (request: FastifyRequest) => ({ clientAddress: request.ip, requestId: request.id });

@ApiTags('timelines')
@Controller('timelines')
export class TimelinesController {
  constructor(private readonly timelines: TimelinesService) {}

  @Get('public')
  @ApiOperation({ summary: 'Every post and repost, newest first (comments only under their post)' })
  @ApiPage(POST_LIST_SCHEMA, 'a page of the public timeline')
  @RouteSchema({ response: { 200: POST_LIST_SCHEMA } })
  publicTimeline(@PageQuery() page: PageRequest): Promise<PostList> {
    return this.timelines.publicTimeline(page);
  }

  @Get('users/:username')
  @ApiOperation({ summary: "A user's posts and reposts, newest first" })
  @ApiPage(POST_LIST_SCHEMA, "a page of the user's timeline")
  @ApiProblems(404, 503)
  @RouteSchema({ response: { 200: POST_LIST_SCHEMA } })
  userTimeline(@Param('username') username: string, @PageQuery() page: PageRequest, @Req() request: FastifyRequest): Promise<PostList> {
    return this.timelines.userTimeline(username, page, callerOf(request));
  }

  @Get('home')
  @ApiOperation({ summary: 'Your posts and those of everyone you follow, newest first' })
  @ApiCredentials()
  @ApiPage(POST_LIST_SCHEMA, 'a page of your home timeline')
  @ApiProblems(503)
  @RouteSchema({ response: { 200: POST_LIST_SCHEMA } })
  @UseGuards(CredentialsGuard)
  home(@CurrentUser() user: AuthUser, @PageQuery() page: PageRequest, @Req() request: FastifyRequest): Promise<PostList> {
    return this.timelines.homeTimeline(user, page, callerOf(request));
  }
}
