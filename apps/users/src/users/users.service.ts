import { Inject, Injectable } from '@nestjs/common';
import { OUTBOX, Outbox, USER_EVENTS } from '@app/events';
import { badRequest, conflict, Cursor, notFound, Page, PageRequest, toPage } from '@app/common';
import { AuthUser, Role } from '@app/auth';
import { hashPassword } from '../credentials/password-hasher';
import { VerifiedCredentialsCache } from '../credentials/verified-credentials.cache';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { OwnerUser, PublicUser, toOwnerUser, toPublicUser } from './user.view';
import { USERS_REPOSITORY, UserRow, UsersRepository } from './users.repository';

export interface RoleChange {
  username: string;
  role: Role;
  previous: Role;
}

export interface FollowState {
  username: string;
  following: boolean;
}

@Injectable()
export class UsersService {
  constructor(
    @Inject(USERS_REPOSITORY) private readonly users: UsersRepository,
    private readonly verified: VerifiedCredentialsCache,
    @Inject(OUTBOX) private readonly events: Outbox,
  ) {}

  async register(dto: CreateUserDto): Promise<OwnerUser> {
    const passwordHash = await hashPassword(dto.password);
    const row = this.users.writeTransaction(() => {
      // The UNIQUE indexes decide, race-free: a taken username or email fails the insert.
      const id = this.users.insert({
        username: dto.username,
        email: dto.email,
        bio: dto.bio ?? '',
        passwordHash,
        createdAt: new Date().toISOString(),
      });
      if (id === null) {
        const taken = this.users.findByUsername(dto.username) ? 'username' : 'email';
        throw conflict(`${taken} is already taken`);
      }
      const user = this.requireById(id);
      // Events carry no email, password or hash (the contract's "Events").
      this.events.record(USER_EVENTS.registered, {
        id: user.id,
        username: user.username,
        bio: user.bio,
        role: user.role,
        credentialsVersion: user.credentials_version,
        createdAt: user.created_at,
      });
      return user;
    });
    return toOwnerUser(row);
  }

  profile(username: string): PublicUser {
    return toPublicUser(this.requireByUsername(username));
  }

  ownProfile(user: AuthUser): OwnerUser {
    return toOwnerUser(this.requireById(user.id));
  }

  async update(user: AuthUser, dto: UpdateUserDto): Promise<OwnerUser> {
    const passwordHash = dto.password === undefined ? undefined : await hashPassword(dto.password);
    const row = this.users.writeTransaction(() => {
      // The UNIQUE index on email decides, race-free: a taken email fails the update.
      if (!this.users.update(user.id, { bio: dto.bio, email: dto.email, passwordHash })) {
        throw conflict('email is already taken');
      }
      const updated = this.requireById(user.id);
      if (dto.bio !== undefined) this.events.record(USER_EVENTS.updated, { id: updated.id, username: updated.username, bio: updated.bio });
      if (passwordHash !== undefined) {
        this.events.record(USER_EVENTS.credentialsChanged, {
          id: updated.id,
          username: updated.username,
          credentialsVersion: updated.credentials_version,
        });
      }
      return updated;
    });
    if (passwordHash !== undefined) this.verified.forget(user.id);
    return toOwnerUser(row);
  }

  list(page: PageRequest): Page<PublicUser> {
    const after = this.afterCursor(page);
    return this.pageOf(page, this.users.list(after, page.limit + 1));
  }

  followers(username: string, page: PageRequest): Page<PublicUser> {
    const after = this.afterCursor(page);
    const user = this.requireByUsername(username);
    return this.pageOf(page, this.users.followers(user.id, after, page.limit + 1));
  }

  following(username: string, page: PageRequest): Page<PublicUser> {
    const after = this.afterCursor(page);
    const user = this.requireByUsername(username);
    return this.pageOf(page, this.users.following(user.id, after, page.limit + 1));
  }

  /** An operator's change of a user's role (the `users` command); the same role again changes nothing. */
  changeRole(username: string, role: Role): RoleChange {
    return this.users.writeTransaction(() => {
      const user = this.requireByUsername(username);
      if (user.role !== role) {
        this.users.setRole(user.id, role);
        this.events.record(USER_EVENTS.roleChanged, { id: user.id, username: user.username, role });
      }
      return { username: user.username, role, previous: user.role };
    });
  }

  /** The current role of `username`, for the other services' admin checks. */
  role(username: string): { username: string; role: Role } {
    const user = this.requireByUsername(username);
    return { username: user.username, role: user.role };
  }

  /** Everyone `username` follows, for the timelines service's home timeline. */
  followingUsernames(username: string): string[] {
    return this.users.followingUsernames(this.requireByUsername(username).id);
  }

  follow(user: AuthUser, username: string): FollowState {
    const target = this.users.writeTransaction(() => {
      const target = this.requireByUsername(username);
      if (target.id === user.id) throw badRequest('you cannot follow yourself');
      if (this.users.follow(user.id, target.id, new Date().toISOString())) {
        this.events.record(USER_EVENTS.followed, this.followData(user, target));
      }
      return target;
    });
    return { username: target.username, following: true };
  }

  unfollow(user: AuthUser, username: string): FollowState {
    const target = this.users.writeTransaction(() => {
      const target = this.requireByUsername(username);
      if (this.users.unfollow(user.id, target.id)) this.events.record(USER_EVENTS.unfollowed, this.followData(user, target));
      return target;
    });
    return { username: target.username, following: false };
  }

  private followData(follower: AuthUser, followee: UserRow): Record<string, unknown> {
    const name = this.requireById(follower.id).username;
    return { followerId: follower.id, follower: name, followeeId: followee.id, followee: followee.username };
  }

  private afterCursor(page: PageRequest): string | null {
    return page.cursor === undefined ? null : Cursor.decode<[string]>(page.cursor, ['string'])[0];
  }

  private pageOf(page: PageRequest, rows: UserRow[]): Page<PublicUser> {
    return toPage(rows, page, toPublicUser, (row) => [row.username]);
  }

  private requireByUsername(username: string): UserRow {
    const row = this.users.findByUsername(username);
    if (!row) throw notFound(`user ${username} does not exist`);
    return row;
  }

  private requireById(id: number): UserRow {
    const row = this.users.findById(id);
    if (!row) throw notFound('this user no longer exists');
    return row;
  }
}
