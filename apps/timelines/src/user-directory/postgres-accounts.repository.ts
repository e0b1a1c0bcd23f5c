import { Role } from '@app/auth';
import { PostgresStore } from '@app/database';
import { Account, AccountsRepository } from './accounts.repository';

export class PostgresAccountsRepository implements AccountsRepository {
  constructor(private readonly store: PostgresStore) {}

  async clear(): Promise<void> {
    await this.store.run('DELETE FROM account_follows');
    await this.store.run('DELETE FROM accounts');
  }

  async upsert(account: Account): Promise<void> {
    await this.store.run(
      `INSERT INTO accounts (id, username, role, credentials_version) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, role = excluded.role, credentials_version = excluded.credentials_version`,
      [account.id, account.username, account.role, account.credentialsVersion],
    );
  }

  async setCredentialsVersion(id: number, version: number): Promise<void> {
    await this.store.run('UPDATE accounts SET credentials_version = $2 WHERE id = $1', [id, version]);
  }

  async setRole(id: number, role: string): Promise<void> {
    await this.store.run('UPDATE accounts SET role = $2 WHERE id = $1', [id, role]);
  }

  async follow(followerId: number, followeeId: number): Promise<void> {
    await this.store.run('INSERT INTO account_follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [followerId, followeeId]);
  }

  async unfollow(followerId: number, followeeId: number): Promise<void> {
    await this.store.run('DELETE FROM account_follows WHERE follower_id = $1 AND followee_id = $2', [followerId, followeeId]);
  }

  findByUsername(username: string): Promise<{ id: number; role: Role; credentials_version: number } | undefined> {
    return this.store.one('SELECT id, role, credentials_version FROM accounts WHERE lower(username) = lower($1)', [username]);
  }

  async credentialsVersion(id: number): Promise<number | undefined> {
    return (await this.store.one<{ credentials_version: number }>('SELECT credentials_version FROM accounts WHERE id = $1', [id]))?.credentials_version;
  }

  async following(username: string): Promise<string[]> {
    const rows = await this.store.query<{ username: string }>(
      `SELECT a.username FROM accounts me JOIN account_follows f ON f.follower_id = me.id JOIN accounts a ON a.id = f.followee_id
       WHERE lower(me.username) = lower($1)`,
      [username],
    );
    return rows.map((row) => row.username);
  }
}
