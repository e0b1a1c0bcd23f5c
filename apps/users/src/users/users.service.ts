import { Inject, Injectable } from '@nestjs/common';
import { FollowPayload, OUTBOX, Outbox, USER_EVENTS } from '@app/events';
import { badRequest, conflict, Cursor, notFound, Page, PageRequest, toPage } from '@app/common';
import { AuthUser, Role } from '@app/auth';
import { hashPassword } from '../credentials/password-hasher';
import { VerifiedCredentialsCache } from '../credentials/verified-credentials.cache';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { followEvent, registeredEvent } from './user.events';
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
    const row = await this.users.writeTransaction(async (tx) => {
      // The UNIQUE indexes decide, race-free: a taken username or email fails the insert.
      const id = await this.users.insert(tx, {
        username: dto.username,
        email: dto.email,
        bio: dto.bio ?? '',
        passwordHash,
        createdAt: new Date().toISOString(),
      });
      if (id === null) {
        const taken = (await this.users.findByUsername(dto.username)) ? 'username' : 'email';
        throw conflict(`${taken} is already taken`);
      }
      const user = await this.requireById(id);
      // Events carry no email, password or hash (the contract's "Events").
      await this.events.record(tx, USER_EVENTS.registered, registeredEvent(user));
      return user;
    });
    return toOwnerUser(row);
  }

  async profile(username: string): Promise<PublicUser> {
    return toPublicUser(await this.requireByUsername(username));
  }

  async ownProfile(user: AuthUser): Promise<OwnerUser> {
    return toOwnerUser(await this.requireById(user.id));
  }

  async update(user: AuthUser, dto: UpdateUserDto): Promise<OwnerUser> {
    const passwordHash = dto.password === undefined ? undefined : await hashPassword(dto.password);
    const row = await this.users.writeTransaction(async (tx) => {
      // The UNIQUE index on email decides, race-free: a taken email fails the update.
      if (!(await this.users.update(tx, user.id, { bio: dto.bio, email: dto.email, passwordHash }))) {
        throw conflict('email is already taken');
      }
      const updated = await this.requireById(user.id);
      if (dto.bio !== undefined) await this.events.record(tx, USER_EVENTS.updated, { id: updated.id, username: updated.username, bio: updated.bio });
      if (passwordHash !== undefined) {
        await this.events.record(tx, USER_EVENTS.credentialsChanged, {
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

  async list(page: PageRequest): Promise<Page<PublicUser>> {
    const after = this.afterCursor(page);
    return this.pageOf(page, await this.users.list(after, page.limit + 1));
  }

  async followers(username: string, page: PageRequest): Promise<Page<PublicUser>> {
    const after = this.afterCursor(page);
    const user = await this.requireByUsername(username);
    return this.pageOf(page, await this.users.followers(user.id, after, page.limit + 1));
  }

  async following(username: string, page: PageRequest): Promise<Page<PublicUser>> {
    const after = this.afterCursor(page);
    const user = await this.requireByUsername(username);
    return this.pageOf(page, await this.users.following(user.id, after, page.limit + 1));
  }

  /** An operator's change of a user's role (the `users` command); the same role again changes nothing. */
  changeRole(username: string, role: Role): Promise<RoleChange> {
    return this.users.writeTransaction(async (tx) => {
      const user = await this.requireByUsername(username);
      if (user.role !== role) {
        await this.users.setRole(tx, user.id, role);
        await this.events.record(tx, USER_EVENTS.roleChanged, { id: user.id, username: user.username, role });
      }
      return { username: user.username, role, previous: user.role };
    });
  }

  /** The current role of `username`, for the other services' admin checks. */
  async role(username: string): Promise<{ username: string; role: Role }> {
    const user = await this.requireByUsername(username);
    return { username: user.username, role: user.role };
  }

  /** Everyone `username` follows, for the timelines service's home timeline. */
  async followingUsernames(username: string): Promise<string[]> {
    return this.users.followingUsernames((await this.requireByUsername(username)).id);
  }

  async follow(user: AuthUser, username: string): Promise<FollowState> {
    const target = await this.users.writeTransaction(async (tx) => {
      const target = await this.requireByUsername(username);
      if (target.id === user.id) throw badRequest('you cannot follow yourself');
      if (await this.users.follow(tx, user.id, target.id, new Date().toISOString())) {
        await this.events.record(tx, USER_EVENTS.followed, await this.followData(user, target));
      }
      return target;
    });
    return { username: target.username, following: true };
  }

  async unfollow(user: AuthUser, username: string): Promise<FollowState> {
    const target = await this.users.writeTransaction(async (tx) => {
      const target = await this.requireByUsername(username);
      if (await this.users.unfollow(tx, user.id, target.id)) await this.events.record(tx, USER_EVENTS.unfollowed, await this.followData(user, target));
      return target;
    });
    return { username: target.username, following: false };
  }

  private async followData(follower: AuthUser, followee: UserRow): Promise<FollowPayload> {
    return followEvent(await this.requireById(follower.id), followee);
  }

  private afterCursor(page: PageRequest): string | null {
    return page.cursor === undefined ? null : Cursor.decode<[string]>(page.cursor, ['string'])[0];
  }

  private pageOf(page: PageRequest, rows: UserRow[]): Page<PublicUser> {
    return toPage(rows, page, toPublicUser, (row) => [row.username]);
  }

  private async requireByUsername(username: string): Promise<UserRow> {
    const row = await this.users.findByUsername(username);
    if (!row) throw notFound(`user ${username} does not exist`);
    return row;
  }

  private async requireById(id: number): Promise<UserRow> {
    const row = await this.users.findById(id);
    if (!row) throw notFound('this user no longer exists');
    return row;
  }
}
