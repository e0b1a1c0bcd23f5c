import { Statement } from 'better-sqlite3';
import { Role } from '@app/auth';
import { SqliteStore } from '@app/database';
import { Account, AccountsRepository } from './accounts.repository';

type AccountRow = { id: number; role: Role; credentials_version: number };

export class SqliteAccountsRepository implements AccountsRepository {
  private readonly upsertAccount: Statement<Account>;
  private readonly setVersion: Statement<[number, number]>;
  private readonly updateRole: Statement<[string, number]>;
  private readonly addFollow: Statement<[number, number]>;
  private readonly removeFollow: Statement<[number, number]>;
  private readonly byName: Statement<[string], AccountRow>;
  private readonly byId: Statement<[number], { credentials_version: number }>;
  private readonly followees: Statement<[string], { username: string }>;

  constructor(private readonly store: SqliteStore) {
    const { db } = store;
    this.upsertAccount = db.prepare(
      `INSERT INTO accounts (id, username, role, credentials_version) VALUES (@id, @username, @role, @credentialsVersion)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, role = excluded.role, credentials_version = excluded.credentials_version`,
    );
    this.setVersion = db.prepare('UPDATE accounts SET credentials_version = ? WHERE id = ?');
    this.updateRole = db.prepare('UPDATE accounts SET role = ? WHERE id = ?');
    this.addFollow = db.prepare('INSERT OR IGNORE INTO account_follows (follower_id, followee_id) VALUES (?, ?)');
    this.removeFollow = db.prepare('DELETE FROM account_follows WHERE follower_id = ? AND followee_id = ?');
    this.byName = db.prepare('SELECT id, role, credentials_version FROM accounts WHERE username = ?');
    this.byId = db.prepare('SELECT credentials_version FROM accounts WHERE id = ?');
    this.followees = db.prepare(
      `SELECT a.username FROM accounts me JOIN account_follows f ON f.follower_id = me.id JOIN accounts a ON a.id = f.followee_id
       WHERE me.username = ?`,
    );
  }

  async clear(): Promise<void> {
    await this.store.use(() => {
      this.store.db.prepare('DELETE FROM account_follows').run();
      this.store.db.prepare('DELETE FROM accounts').run();
    });
  }

  async upsert(account: Account): Promise<void> {
    await this.store.use(() => this.upsertAccount.run(account));
  }

  async setCredentialsVersion(id: number, version: number): Promise<void> {
    await this.store.use(() => this.setVersion.run(version, id));
  }

  async setRole(id: number, role: string): Promise<void> {
    await this.store.use(() => this.updateRole.run(role, id));
  }

  async follow(followerId: number, followeeId: number): Promise<void> {
    await this.store.use(() => this.addFollow.run(followerId, followeeId));
  }

  async unfollow(followerId: number, followeeId: number): Promise<void> {
    await this.store.use(() => this.removeFollow.run(followerId, followeeId));
  }

  findByUsername(username: string): Promise<AccountRow | undefined> {
    return this.store.remember(`account:${username}`, () => this.byName.get(username));
  }

  async credentialsVersion(id: number): Promise<number | undefined> {
    return (await this.store.remember(`credentials:${id}`, () => this.byId.get(id)))?.credentials_version;
  }

  following(username: string): Promise<string[]> {
    return this.store.remember(`following:${username}`, () => this.followees.all(username).map((row) => row.username));
  }
}
