import { Body, Controller, Get, HttpCode, Param, Patch, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiBody,
  ApiCreated,
  ApiCredentials,
  ApiIdempotent,
  ApiOkResponse,
  ApiOperation,
  ApiPage,
  ApiProblems,
  ApiTags,
  asSchema,
  PageQuery,
  PageRequest,
} from '@app/common';
import { Idempotent } from '@app/idempotency';
import { AuthUser, CredentialsGuard, CurrentUser } from '@app/auth';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { FOLLOW_STATE_SCHEMA, OWNER_USER_SCHEMA, PUBLIC_USER_SCHEMA, USER_LIST_SCHEMA } from './user.schema';
import { OwnerUser, PublicUser } from './user.view';
import { FollowState, UsersService } from './users.service';

interface UserList {
  users: PublicUser[];
  next: string | null;
}

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Register (no credentials needed)' })
  @ApiBody()
  @ApiIdempotent()
  @ApiCreated(OWNER_USER_SCHEMA, "the owner's form of the new user")
  @ApiProblems(409)
  async register(@Body() dto: CreateUserDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<OwnerUser> {
    const user = await this.users.register(dto);
    reply.header('Location', `/users/${user.username}`);
    return user;
  }

  @Get()
  @ApiOperation({ summary: 'Every user, by username without regard to case' })
  @ApiPage(USER_LIST_SCHEMA, 'a page of users')
  async list(@PageQuery() page: PageRequest): Promise<UserList> {
    const { items, next } = await this.users.list(page);
    return { users: items, next };
  }

  @Get('me')
  @UseGuards(CredentialsGuard)
  @ApiOperation({ summary: 'Your own form (with email and role)' })
  @ApiCredentials()
  @ApiOkResponse({ schema: asSchema(OWNER_USER_SCHEMA) })
  me(@CurrentUser() user: AuthUser): Promise<OwnerUser> {
    return this.users.ownProfile(user);
  }

  @Patch('me')
  @UseGuards(CredentialsGuard)
  @ApiOperation({ summary: 'Change your bio, email or password ({} changes nothing)' })
  @ApiCredentials()
  @ApiBody()
  @ApiOkResponse({ schema: asSchema(OWNER_USER_SCHEMA) })
  @ApiProblems(409)
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateUserDto): Promise<OwnerUser> {
    return this.users.update(user, dto);
  }

  @Get(':username')
  @ApiOperation({ summary: "A user's public form" })
  @ApiOkResponse({ schema: asSchema(PUBLIC_USER_SCHEMA) })
  @ApiProblems(404)
  profile(@Param('username') username: string): Promise<PublicUser> {
    return this.users.profile(username);
  }

  @Post(':username/follow')
  @Idempotent()
  @HttpCode(200)
  @UseGuards(CredentialsGuard)
  @ApiOperation({ summary: 'Follow (again: the same answer)' })
  @ApiCredentials()
  @ApiIdempotent()
  @ApiOkResponse({ schema: asSchema(FOLLOW_STATE_SCHEMA) })
  @ApiProblems(400, 404)
  follow(@CurrentUser() user: AuthUser, @Param('username') username: string): Promise<FollowState> {
    return this.users.follow(user, username);
  }

  @Post(':username/unfollow')
  @Idempotent()
  @HttpCode(200)
  @UseGuards(CredentialsGuard)
  @ApiOperation({ summary: 'Unfollow (again: the same answer)' })
  @ApiCredentials()
  @ApiIdempotent()
  @ApiOkResponse({ schema: asSchema(FOLLOW_STATE_SCHEMA) })
  @ApiProblems(404)
  unfollow(@CurrentUser() user: AuthUser, @Param('username') username: string): Promise<FollowState> {
    return this.users.unfollow(user, username);
  }

  @Get(':username/followers')
  @ApiOperation({ summary: 'Who follows a user' })
  @ApiPage(USER_LIST_SCHEMA, 'a page of followers')
  @ApiProblems(404)
  async followers(@Param('username') username: string, @PageQuery() page: PageRequest): Promise<UserList> {
    const { items, next } = await this.users.followers(username, page);
    return { users: items, next };
  }

  @Get(':username/following')
  @ApiOperation({ summary: 'Whom a user follows' })
  @ApiPage(USER_LIST_SCHEMA, 'a page of followed users')
  @ApiProblems(404)
  async following(@Param('username') username: string, @PageQuery() page: PageRequest): Promise<UserList> {
    const { items, next } = await this.users.following(username, page);
    return { users: items, next };
  }
}
