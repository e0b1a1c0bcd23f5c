import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RouteSchema } from '@nestjs/platform-fastify';
import {
  ApiBody,
  ApiCreated,
  ApiCredentials,
  ApiIdempotent,
  ApiOkResponse,
  ApiOperation,
  ApiPage,
  ApiParam,
  ApiProblems,
  ApiResponse,
  ApiTags,
  asSchema,
  PageQuery,
  PageRequest,
} from '@app/common';
import { Idempotent } from '@app/idempotency';
import { AuthUser, CredentialsGuard, CurrentUser } from '@app/auth';
import { PostMessageDto } from './dto/post-message.dto';
import { LIKE_STATE_SCHEMA, POST_LIST_SCHEMA, POST_SCHEMA } from './post.schema';
import { PostList, PostView } from './post.view';
import { ParsePostIdPipe } from './parse-post-id.pipe';
import { LikeState, PostsService } from './posts.service';

/** The post id of the routes under /posts/{id}; not on the class: POST /posts has none, and Swagger UI asks for every declared one. */
const ApiPostId = () => ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1 }, required: true });

@ApiTags('posts')
@Controller('posts')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Post a message' })
  @ApiCredentials()
  @ApiBody()
  @ApiIdempotent()
  @ApiCreated(POST_SCHEMA, 'the new post')
  @RouteSchema({ response: { 201: POST_SCHEMA } })
  @UseGuards(CredentialsGuard)
  async create(@CurrentUser() user: AuthUser, @Body() dto: PostMessageDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<PostView> {
    const post = await this.posts.create(user, dto.message);
    reply.header('Location', post.url);
    return post;
  }

  @Get(':id')
  @ApiPostId()
  @RouteSchema({ response: { 200: POST_SCHEMA } })
  @ApiOperation({ summary: 'One post' })
  @ApiOkResponse({ schema: asSchema(POST_SCHEMA) })
  @ApiProblems(404)
  get(@Param('id', ParsePostIdPipe) id: number): Promise<PostView> {
    return this.posts.get(id);
  }

  @Patch(':id')
  @ApiPostId()
  @RouteSchema({ response: { 200: POST_SCHEMA } })
  @ApiOperation({ summary: 'Edit your post (not a repost): editedAt set, timestamp kept' })
  @ApiCredentials()
  @ApiBody()
  @ApiOkResponse({ schema: asSchema(POST_SCHEMA) })
  @ApiProblems(403, 404)
  @UseGuards(CredentialsGuard)
  edit(@CurrentUser() user: AuthUser, @Param('id', ParsePostIdPipe) id: number, @Body() dto: PostMessageDto): Promise<PostView> {
    return this.posts.edit(user, id, dto.message);
  }

  @Delete(':id')
  @ApiPostId()
  @ApiOperation({ summary: "Delete your post (an admin: anyone's), with its likes, comments and reposts" })
  @ApiCredentials()
  @ApiResponse({ status: 204, description: 'deleted' })
  @ApiProblems(403, 404)
  @HttpCode(204)
  @UseGuards(CredentialsGuard)
  delete(@CurrentUser() user: AuthUser, @Param('id', ParsePostIdPipe) id: number): Promise<void> {
    return this.posts.delete(user, id);
  }

  /** 201 with the new repost; 200 with the same repost when the user already reposted it. */
  @Post(':id/repost')
  @ApiPostId()
  @Idempotent()
  @ApiOperation({ summary: 'Repost (the original, when this is a repost); again: 200 with the same repost' })
  @ApiCredentials()
  @ApiIdempotent()
  @ApiCreated(POST_SCHEMA, 'the new repost')
  @ApiOkResponse({ schema: asSchema(POST_SCHEMA), description: 'your existing repost of it' })
  @ApiProblems(404)
  @RouteSchema({ response: { 200: POST_SCHEMA, 201: POST_SCHEMA } })
  @UseGuards(CredentialsGuard)
  async repost(@CurrentUser() user: AuthUser, @Param('id', ParsePostIdPipe) id: number, @Res({ passthrough: true }) reply: FastifyReply): Promise<PostView> {
    const { post, created } = await this.posts.repost(user, id);
    reply.status(created ? 201 : 200).header('Location', post.url);
    return post;
  }

  @Post(':id/like')
  @ApiPostId()
  @Idempotent()
  @ApiOperation({ summary: 'Like (again: the same answer)' })
  @ApiCredentials()
  @ApiIdempotent()
  @ApiOkResponse({ schema: asSchema(LIKE_STATE_SCHEMA) })
  @ApiProblems(404)
  @RouteSchema({ response: { 200: LIKE_STATE_SCHEMA } })
  @HttpCode(200)
  @UseGuards(CredentialsGuard)
  like(@CurrentUser() user: AuthUser, @Param('id', ParsePostIdPipe) id: number): Promise<LikeState> {
    return this.posts.like(user, id);
  }

  @Delete(':id/like')
  @ApiPostId()
  @ApiOperation({ summary: 'Take a like back (again: the same answer)' })
  @ApiCredentials()
  @ApiOkResponse({ schema: asSchema(LIKE_STATE_SCHEMA) })
  @ApiProblems(404)
  @RouteSchema({ response: { 200: LIKE_STATE_SCHEMA } })
  @UseGuards(CredentialsGuard)
  unlike(@CurrentUser() user: AuthUser, @Param('id', ParsePostIdPipe) id: number): Promise<LikeState> {
    return this.posts.unlike(user, id);
  }

  @Post(':id/comments')
  @ApiPostId()
  @Idempotent()
  @ApiOperation({ summary: 'Comment: a post with inReplyTo' })
  @ApiCredentials()
  @ApiBody()
  @ApiIdempotent()
  @ApiCreated(POST_SCHEMA, 'the comment')
  @ApiProblems(404)
  @RouteSchema({ response: { 201: POST_SCHEMA } })
  @UseGuards(CredentialsGuard)
  async comment(
    @CurrentUser() user: AuthUser,
    @Param('id', ParsePostIdPipe) id: number,
    @Body() dto: PostMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostView> {
    const post = await this.posts.comment(user, id, dto.message);
    reply.header('Location', post.url);
    return post;
  }

  @Get(':id/comments')
  @ApiPostId()
  @ApiOperation({ summary: 'The comments of a post, oldest first' })
  @ApiPage(POST_LIST_SCHEMA, 'a page of comments')
  @ApiProblems(404)
  @RouteSchema({ response: { 200: POST_LIST_SCHEMA } })
  comments(@Param('id', ParsePostIdPipe) id: number, @PageQuery() page: PageRequest): Promise<PostList> {
    return this.posts.comments(id, page);
  }
}
