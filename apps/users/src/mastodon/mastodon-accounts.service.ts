import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@app/auth';
import {
  AccountFacts,
  IdRange,
  MastodonAccount,
  MastodonCredentialAccount,
  MastodonRelationship,
  mastodonNotFound,
  toAccount,
  toCredentialAccount,
  toRelationship,
} from '@app/common';
import { USERS_REPOSITORY, UserRow, UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';

/** A page of accounts and the ids its Link header pages by. */
export interface AccountPage {
  accounts: MastodonAccount[];
  ids: number[];
}

/** Accounts and follows in the shape of Mastodon's API, over the users service's own data and rules. */
@Injectable()
export class MastodonAccountsService {
  constructor(
    @Inject(USERS_REPOSITORY) private readonly users: UsersRepository,
    private readonly rules: UsersService,
  ) {}

  async credentials(user: AuthUser, origin: string): Promise<MastodonCredentialAccount> {
    return toCredentialAccount(facts(await this.existing(user.id)), origin);
  }

  async account(id: number, origin: string): Promise<MastodonAccount> {
    return toAccount(facts(await this.existing(id)), origin);
  }

  /** `acct` as apps send it: `name`, `@name`, or `name@` this server's host. */
  async lookup(acct: string, origin: string): Promise<MastodonAccount> {
    const [username, domain] = acct.replace(/^@/, '').split('@');
    if (domain !== undefined && domain.toLowerCase() !== new URL(origin).host.toLowerCase()) throw mastodonNotFound();
    const row = await this.users.findByUsername(username);
    if (!row) throw mastodonNotFound();
    return toAccount(facts(row), origin);
  }

  /** The user's relation to each account asked for, in the order asked; unknown ids are left out. */
  async relationships(user: AuthUser, ids: number[]): Promise<MastodonRelationship[]> {
    if (ids.length === 0) return [];
    const rows = new Map((await this.users.relationships(user.id, ids)).map((row) => [row.id, row]));
    return [...new Set(ids)].flatMap((id) => {
      const row = rows.get(id);
      return row ? [toRelationship(row.id, row.following, row.followed_by)] : [];
    });
  }

  async follow(user: AuthUser, id: number): Promise<MastodonRelationship> {
    await this.rules.follow(user, (await this.existing(id)).username);
    return (await this.relationships(user, [id]))[0];
  }

  async unfollow(user: AuthUser, id: number): Promise<MastodonRelationship> {
    await this.rules.unfollow(user, (await this.existing(id)).username);
    return (await this.relationships(user, [id]))[0];
  }

  /** A page of an account's followers, or of whom it follows. */
  async related(list: 'followers' | 'following', id: number, range: IdRange, origin: string): Promise<AccountPage> {
    await this.existing(id);
    const rows = list === 'followers' ? await this.users.followersWindow(id, range) : await this.users.followingWindow(id, range);
    return { accounts: rows.map((row) => toAccount(facts(row), origin)), ids: rows.map((row) => row.id) };
  }

  private async existing(id: number): Promise<UserRow> {
    const row = await this.users.findById(id);
    if (!row) throw mastodonNotFound();
    return row;
  }
}

function facts(row: UserRow): AccountFacts & { role: string } {
  return { id: row.id, username: row.username, bio: row.bio, createdAt: row.created_at, followers: row.followers, following: row.following, role: row.role };
}
