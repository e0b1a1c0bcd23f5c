import { Inject, Injectable } from '@nestjs/common';
import { SQL_STORE, SqlStore, Tx } from '@app/database';
import { EventBus, EventConsumer, EventHandlers, STREAMS, USER_EVENTS } from '@app/events';
import { USERS_COPY_REPOSITORY, UsersCopyRepository } from '../users-copy/users-copy.repository';

/** The monitor's copy of users: who exists, each one's role and profile, who follows whom. */
@Injectable()
export class UsersStreamConsumer extends EventConsumer {
  constructor(
    @Inject(SQL_STORE) store: SqlStore,
    bus: EventBus,
    @Inject(USERS_COPY_REPOSITORY) private readonly users: UsersCopyRepository,
  ) {
    super(STREAMS.users, store, bus);
  }

  protected override readonly handlers: EventHandlers = {
    [USER_EVENTS.registered]: ({ id, username, role, createdAt, bio }, tx) => this.users.upsert(tx, { id, username, role, createdAt, bio }),
    [USER_EVENTS.updated]: ({ id, bio }, tx) => this.users.setBio(tx, id, bio),
    [USER_EVENTS.roleChanged]: ({ id, role }, tx) => this.users.setRole(tx, id, role),
    [USER_EVENTS.followed]: ({ followerId, followeeId }, tx) => this.users.follow(tx, followerId, followeeId),
    [USER_EVENTS.unfollowed]: ({ followerId, followeeId }, tx) => this.users.unfollow(tx, followerId, followeeId),
  };

  protected forget(tx: Tx): Promise<void> {
    return this.users.clear(tx);
  }
}
