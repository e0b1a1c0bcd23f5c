import { Inject, Injectable } from '@nestjs/common';
import { Role } from '@app/auth';
import { SQL_STORE, SqlStore } from '@app/database';
import { EventBus, EventConsumer, EventHandlers, STREAMS, USER_EVENTS } from '@app/events';
import { ACCOUNTS_REPOSITORY, AccountsRepository } from './accounts.repository';

/**
 * Timelines' read model of the users service, kept from the `users` stream in timelines' own
 * database (shared by every replica, applied once): who exists, each one's role and
 * credentials version, profile, who follows whom, and the OAuth tokens issued (by digest).
 */
@Injectable()
export class UsersReadModel extends EventConsumer {
  constructor(
    @Inject(SQL_STORE) store: SqlStore,
    bus: EventBus,
    @Inject(ACCOUNTS_REPOSITORY) private readonly accounts: AccountsRepository,
  ) {
    super(STREAMS.users, store, bus);
  }

  protected override readonly handlers: EventHandlers = {
    [USER_EVENTS.registered]: (account) => this.accounts.upsert(account),
    [USER_EVENTS.credentialsChanged]: ({ id, credentialsVersion }) => this.accounts.setCredentialsVersion(id, credentialsVersion),
    [USER_EVENTS.roleChanged]: ({ id, role }) => this.accounts.setRole(id, role),
    [USER_EVENTS.followed]: ({ followerId, followeeId }) => this.accounts.follow(followerId, followeeId),
    [USER_EVENTS.unfollowed]: ({ followerId, followeeId }) => this.accounts.unfollow(followerId, followeeId),
    [USER_EVENTS.updated]: ({ id, bio }) => this.accounts.setBio(id, bio),
    [USER_EVENTS.tokenIssued]: (token) => this.accounts.saveToken(token),
    [USER_EVENTS.tokenRevoked]: ({ digest }) => this.accounts.revokeToken(digest),
  };

  protected forget(): Promise<void> {
    return this.accounts.clear();
  }

  async exists(username: string): Promise<boolean> {
    return (await this.accounts.findByUsername(username)) !== undefined;
  }

  async role(username: string): Promise<Role | undefined> {
    return (await this.accounts.findByUsername(username))?.role;
  }

  credentialsVersion(id: number): Promise<number | undefined> {
    return this.accounts.credentialsVersion(id);
  }

  following(username: string): Promise<string[]> {
    return this.accounts.following(username);
  }
}
