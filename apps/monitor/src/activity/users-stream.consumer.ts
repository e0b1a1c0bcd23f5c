import { Inject, Injectable } from '@nestjs/common';
import { SQL_STORE, SqlStore } from '@app/database';
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
    [USER_EVENTS.registered]: ({ id, username, role, createdAt, bio }) => this.users.upsert({ id, username, role, createdAt, bio }),
    [USER_EVENTS.updated]: ({ id, bio }) => this.users.setBio(id, bio),
    [USER_EVENTS.roleChanged]: ({ id, role }) => this.users.setRole(id, role),
    [USER_EVENTS.followed]: ({ followerId, followeeId }) => this.users.follow(followerId, followeeId),
    [USER_EVENTS.unfollowed]: ({ followerId, followeeId }) => this.users.unfollow(followerId, followeeId),
  };

  protected forget(): Promise<void> {
    return this.users.clear();
  }
}
