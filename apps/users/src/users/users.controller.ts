import { Body, Controller, Get, HttpCode, Param, Patch, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PageQuery, PageRequest } from '@app/common';
import { Idempotent } from '@app/idempotency';
import { AuthUser, CredentialsGuard, CurrentUser } from '@app/auth';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { OwnerUser, PublicUser } from './user.view';
import { FollowState, UsersService } from './users.service';

interface UserList {
  users: PublicUser[];
  next: string | null;
}

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Idempotent()
  async register(@Body() dto: CreateUserDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<OwnerUser> {
    const user = await this.users.register(dto);
    reply.header('Location', `/users/${user.username}`);
    return user;
  }

  @Get()
  list(@PageQuery() page: PageRequest): UserList {
    const { items, next } = this.users.list(page);
    return { users: items, next };
  }

  @Get('me')
  @UseGuards(CredentialsGuard)
  me(@CurrentUser() user: AuthUser): OwnerUser {
    return this.users.ownProfile(user);
  }

  @Patch('me')
  @UseGuards(CredentialsGuard)
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateUserDto): Promise<OwnerUser> {
    return this.users.update(user, dto);
  }

  @Get(':username')
  profile(@Param('username') username: string): PublicUser {
    return this.users.profile(username);
  }

  @Post(':username/follow')
  @Idempotent()
  @HttpCode(200)
  @UseGuards(CredentialsGuard)
  follow(@CurrentUser() user: AuthUser, @Param('username') username: string): FollowState {
    return this.users.follow(user, username);
  }

  @Post(':username/unfollow')
  @Idempotent()
  @HttpCode(200)
  @UseGuards(CredentialsGuard)
  unfollow(@CurrentUser() user: AuthUser, @Param('username') username: string): FollowState {
    return this.users.unfollow(user, username);
  }

  @Get(':username/followers')
  followers(@Param('username') username: string, @PageQuery() page: PageRequest): UserList {
    const { items, next } = this.users.followers(username, page);
    return { users: items, next };
  }

  @Get(':username/following')
  following(@Param('username') username: string, @PageQuery() page: PageRequest): UserList {
    const { items, next } = this.users.following(username, page);
    return { users: items, next };
  }
}
