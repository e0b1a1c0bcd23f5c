import { Inject, Injectable } from '@nestjs/common';
import { Role } from '@app/auth';
import { SQL_STORE, SqlStore, Tx } from '@app/database';
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
    [USER_EVENTS.registered]: (account, tx) => this.accounts.upsert(tx, account),
    [USER_EVENTS.credentialsChanged]: ({ id, credentialsVersion }, tx) => this.accounts.setCredentialsVersion(tx, id, credentialsVersion),
    [USER_EVENTS.roleChanged]: ({ id, role }, tx) => this.accounts.setRole(tx, id, role),
    [USER_EVENTS.followed]: ({ followerId, followeeId }, tx) => this.accounts.follow(tx, followerId, followeeId),
    [USER_EVENTS.unfollowed]: ({ followerId, followeeId }, tx) => this.accounts.unfollow(tx, followerId, followeeId),
    [USER_EVENTS.updated]: ({ id, bio }, tx) => this.accounts.setBio(tx, id, bio),
    [USER_EVENTS.tokenIssued]: (token, tx) => this.accounts.saveToken(tx, token),
    [USER_EVENTS.tokenRevoked]: ({ digest }, tx) => this.accounts.revokeToken(tx, digest),
  };

  protected forget(tx: Tx): Promise<void> {
    return this.accounts.clear(tx);
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
