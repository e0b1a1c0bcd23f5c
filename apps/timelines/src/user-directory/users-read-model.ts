import { Inject, Injectable } from '@nestjs/common';
import { Role } from '@app/auth';
import { SQL_STORE, SqlStore } from '@app/database';
import { DomainEvent, EventBus, EventConsumer, STREAMS, USER_EVENTS } from '@app/events';
import { Account, ACCOUNTS_REPOSITORY, AccountsRepository, IssuedToken } from './accounts.repository';

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

  protected async apply(event: DomainEvent): Promise<void> {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case USER_EVENTS.registered:
        await this.accounts.upsert(data as unknown as Account);
        break;
      case USER_EVENTS.credentialsChanged:
        await this.accounts.setCredentialsVersion(data.id as number, data.credentialsVersion as number);
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
      case USER_EVENTS.updated:
        if (typeof data.bio === 'string') await this.accounts.setBio(data.id as number, data.bio);
        break;
      case USER_EVENTS.tokenIssued:
        await this.accounts.saveToken(data as unknown as IssuedToken);
        break;
      case USER_EVENTS.tokenRevoked:
        await this.accounts.revokeToken(data.digest as string);
        break;
      default:
        break; // future events change nothing here
    }
  }

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
