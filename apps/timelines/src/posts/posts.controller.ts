import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RouteSchema } from '@nestjs/platform-fastify';
import { PageQuery, PageRequest } from '@app/common';
import { Idempotent } from '@app/idempotency';
import { AuthUser, CredentialsGuard, CurrentUser } from '@app/auth';
import { PostMessageDto } from './dto/post-message.dto';
import { LIKE_STATE_SCHEMA, POST_LIST_SCHEMA, POST_SCHEMA } from './post.schema';
import { PostList, PostView } from './post.view';
import { ParsePostIdPipe } from './parse-post-id.pipe';
import { LikeState, PostsService } from './posts.service';

@Controller('posts')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Post()
  @Idempotent()
  @RouteSchema({ response: { 201: POST_SCHEMA } })
  @UseGuards(CredentialsGuard)
  create(@CurrentUser() user: AuthUser, @Body() dto: PostMessageDto, @Res({ passthrough: true }) reply: FastifyReply): PostView {
    const post = this.posts.create(user, dto.message);
    reply.header('Location', post.url);
    return post;
  }

  @Get(':id')
  @RouteSchema({ response: { 200: POST_SCHEMA } })
  get(@Param('id', ParsePostIdPipe) id: number): PostView {
    return this.posts.get(id);
  }

  @Patch(':id')
  @RouteSchema({ response: { 200: POST_SCHEMA } })
  @UseGuards(CredentialsGuard)
  edit(@CurrentUser() user: AuthUser, @Param('id', ParsePostIdPipe) id: number, @Body() dto: PostMessageDto): PostView {
    return this.posts.edit(user, id, dto.message);
  }

  @Delete(':id')
  @HttpCode(204)
  @UseGuards(CredentialsGuard)
  delete(@CurrentUser() user: AuthUser, @Param('id', ParsePostIdPipe) id: number): Promise<void> {
    return this.posts.delete(user, id);
  }

  /** 201 with the new repost; 200 with the same repost when the user already reposted it. */
  @Post(':id/repost')
  @Idempotent()
  @RouteSchema({ response: { 200: POST_SCHEMA, 201: POST_SCHEMA } })
  @UseGuards(CredentialsGuard)
  repost(@CurrentUser() user: AuthUser, @Param('id', ParsePostIdPipe) id: number, @Res({ passthrough: true }) reply: FastifyReply): PostView {
    const { post, created } = this.posts.repost(user, id);
    reply.status(created ? 201 : 200).header('Location', post.url);
    return post;
  }

  @Post(':id/like')
  @Idempotent()
  @RouteSchema({ response: { 200: LIKE_STATE_SCHEMA } })
  @HttpCode(200)
  @UseGuards(CredentialsGuard)
  like(@CurrentUser() user: AuthUser, @Param('id', ParsePostIdPipe) id: number): LikeState {
    return this.posts.like(user, id);
  }

  @Delete(':id/like')
  @RouteSchema({ response: { 200: LIKE_STATE_SCHEMA } })
  @UseGuards(CredentialsGuard)
  unlike(@CurrentUser() user: AuthUser, @Param('id', ParsePostIdPipe) id: number): LikeState {
    return this.posts.unlike(user, id);
  }

  @Post(':id/comments')
  @Idempotent()
  @RouteSchema({ response: { 201: POST_SCHEMA } })
  @UseGuards(CredentialsGuard)
  comment(
    @CurrentUser() user: AuthUser,
    @Param('id', ParsePostIdPipe) id: number,
    @Body() dto: PostMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): PostView {
    const post = this.posts.comment(user, id, dto.message);
    reply.header('Location', post.url);
    return post;
  }

  @Get(':id/comments')
  @RouteSchema({ response: { 200: POST_LIST_SCHEMA } })
  comments(@Param('id', ParsePostIdPipe) id: number, @PageQuery() page: PageRequest): PostList {
    return this.posts.comments(id, page);
  }
}
