import { Inject, Injectable } from '@nestjs/common';
import { SQL_STORE, SqlStore } from '@app/database';
import { DomainEvent, EventBus, EventConsumer, STREAMS, USER_EVENTS } from '@app/events';
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

  protected async apply(event: DomainEvent): Promise<void> {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case USER_EVENTS.registered:
        await this.accounts.upsert({
          id: data.id as number,
          username: data.username as string,
          role: (data.role as string) ?? 'user',
          createdAt: (data.createdAt as string) ?? new Date(0).toISOString(),
          bio: (data.bio as string) ?? '',
        });
        break;
      case USER_EVENTS.updated:
        if (typeof data.bio === 'string') await this.accounts.setBio(data.id as number, data.bio);
        break;
      case USER_EVENTS.roleChanged:
        await this.accounts.setRole(data.id as number, data.role as string);
        break;
      case USER_EVENTS.followed:
        await this.accounts.follow(data.followerId as number, data.followeeId as number);
        break;
      case USER_EVENTS.unfollowed:
        await this.accounts.unfollow(data.followerId as number, data.followeeId as number);
        break;
      default:
        break;
    }
  }

  protected forget(): Promise<void> {
    return this.accounts.clear();
  }
}
