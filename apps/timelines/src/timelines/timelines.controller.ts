import { Controller, Get, Param, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RouteSchema } from '@nestjs/platform-fastify';
import { PageQuery, PageRequest } from '@app/common';
import { AuthUser, CredentialsGuard, CurrentUser } from '@app/auth';
import { POST_LIST_SCHEMA } from '../posts/post.schema';
import { PostList } from '../posts/post.view';
import { TimelinesService } from './timelines.service';

const callerOf = (request: FastifyRequest) => ({ clientAddress: request.ip, requestId: request.id });

@Controller('timelines')
export class TimelinesController {
  constructor(private readonly timelines: TimelinesService) {}

  @Get('public')
  @RouteSchema({ response: { 200: POST_LIST_SCHEMA } })
  publicTimeline(@PageQuery() page: PageRequest): PostList {
    return this.timelines.publicTimeline(page);
  }

  @Get('users/:username')
  @RouteSchema({ response: { 200: POST_LIST_SCHEMA } })
  userTimeline(@Param('username') username: string, @PageQuery() page: PageRequest, @Req() request: FastifyRequest): Promise<PostList> {
    return this.timelines.userTimeline(username, page, callerOf(request));
  }

  @Get('home')
  @RouteSchema({ response: { 200: POST_LIST_SCHEMA } })
  @UseGuards(CredentialsGuard)
  home(@CurrentUser() user: AuthUser, @PageQuery() page: PageRequest, @Req() request: FastifyRequest): Promise<PostList> {
    return this.timelines.homeTimeline(user, page, callerOf(request));
  }
}
