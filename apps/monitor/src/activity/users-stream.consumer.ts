import { Inject, Injectable } from '@nestjs/common';
import { SQL_STORE, SqlStore } from '@app/database';
import { EventBus, EventConsumer, EventHandlers, STREAMS, USER_EVENTS } from '@app/events';
import { ACCOUNTS_REPOSITORY, AccountsRepository } from '../accounts/accounts.repository';

/** The monitor's copy of users: who exists, each one's role and profile, who follows whom. */
@Injectable()
export class UsersStreamConsumer extends EventConsumer {
  constructor(
    @Inject(SQL_STORE) store: SqlStore,
    bus: EventBus,
    @Inject(ACCOUNTS_REPOSITORY) private readonly accounts: AccountsRepository,
  ) {
    super(STREAMS.users, store, bus);
  }

  protected override readonly handlers: EventHandlers = {
    [USER_EVENTS.registered]: ({ id, username, role, createdAt, bio }) => this.accounts.upsert({ id, username, role, createdAt, bio }),
    [USER_EVENTS.updated]: ({ id, bio }) => this.accounts.setBio(id, bio),
    [USER_EVENTS.roleChanged]: ({ id, role }) => this.accounts.setRole(id, role),
    [USER_EVENTS.followed]: ({ followerId, followeeId }) => this.accounts.follow(followerId, followeeId),
    [USER_EVENTS.unfollowed]: ({ followerId, followeeId }) => this.accounts.unfollow(followerId, followeeId),
  };

  protected forget(): Promise<void> {
    return this.accounts.clear();
  }
}
