import { Controller, Get, Param, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PageQuery, PageRequest } from '@app/common';
import { AuthUser, CredentialsGuard, CurrentUser } from '@app/auth';
import { PostList } from '../posts/post.view';
import { TimelinesService } from './timelines.service';

const callerOf = (request: FastifyRequest) => ({ clientAddress: request.ip, requestId: request.id });

@Controller('timelines')
export class TimelinesController {
  constructor(private readonly timelines: TimelinesService) {}

  @Get('public')
  publicTimeline(@PageQuery() page: PageRequest): PostList {
    return this.timelines.publicTimeline(page);
  }

  @Get('users/:username')
  userTimeline(@Param('username') username: string, @PageQuery() page: PageRequest, @Req() request: FastifyRequest): Promise<PostList> {
    return this.timelines.userTimeline(username, page, callerOf(request));
  }

  @Get('home')
  @UseGuards(CredentialsGuard)
  home(@CurrentUser() user: AuthUser, @PageQuery() page: PageRequest, @Req() request: FastifyRequest): Promise<PostList> {
    return this.timelines.homeTimeline(user, page, callerOf(request));
  }
}
