import { Statement } from 'better-sqlite3';
import { Role } from '@app/auth';
import { SqliteStore, Tx } from '@app/database';
import { Account, AccountProfile, AccountsRepository, IssuedToken, TokenRow, withDefaults } from './accounts.repository';

type AccountRow = { id: number; role: Role; credentials_version: number };

/** An account's profile columns over `accounts a` joined with AUTHOR_STATS_JOIN. */
export const PROFILE_COLUMNS = `a.id, a.username, a.bio, a.created_at, a.followers, a.following,
  COALESCE(s.statuses, 0) AS statuses, s.last_status_at`;
/** An author's post count and newest post, kept by the posts table's triggers (author_stats). */
export const AUTHOR_STATS_JOIN = 'LEFT JOIN author_stats s ON s.username = a.username';

export class SqliteAccountsRepository implements AccountsRepository {
  private readonly upsertAccount: Statement<Required<Account>>;
  private readonly setVersion: Statement<[number, number]>;
  private readonly updateRole: Statement<[string, number]>;
  private readonly updateBio: Statement<[string, number]>;
  private readonly addFollow: Statement<[number, number]>;
  private readonly removeFollow: Statement<[number, number]>;
  private readonly countFollow: Statement<{ followerId: number; followeeId: number; by: number }>;
  private readonly insertToken: Statement<IssuedToken>;
  private readonly deleteToken: Statement<[string]>;
  private readonly byName: Statement<[string], AccountRow>;
  private readonly byId: Statement<[number], { credentials_version: number }>;
  private readonly followees: Statement<[string], { username: string }>;
  private readonly tokenByDigest: Statement<[string], TokenRow>;
  private readonly profilesByName: Statement<[string], AccountProfile>;
  private readonly profileOfId: Statement<[number], AccountProfile>;

  constructor(private readonly store: SqliteStore) {
    const { db } = store;
    this.upsertAccount = db.prepare(
      `INSERT INTO accounts (id, username, role, credentials_version, created_at, bio)
       VALUES (@id, @username, @role, @credentialsVersion, @createdAt, @bio)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, role = excluded.role, credentials_version = excluded.credentials_version,
         created_at = excluded.created_at, bio = excluded.bio`,
    );
    this.setVersion = db.prepare('UPDATE accounts SET credentials_version = ? WHERE id = ?');
    this.updateRole = db.prepare('UPDATE accounts SET role = ? WHERE id = ?');
    this.updateBio = db.prepare('UPDATE accounts SET bio = ? WHERE id = ?');
    this.addFollow = db.prepare('INSERT OR IGNORE INTO account_follows (follower_id, followee_id) VALUES (?, ?)');
    this.removeFollow = db.prepare('DELETE FROM account_follows WHERE follower_id = ? AND followee_id = ?');
    this.countFollow = db.prepare(
      `UPDATE accounts SET
         following = following + CASE WHEN id = @followerId THEN @by ELSE 0 END,
         followers = followers + CASE WHEN id = @followeeId THEN @by ELSE 0 END
       WHERE id IN (@followerId, @followeeId)`,
    );
    this.insertToken = db.prepare(
      `INSERT OR REPLACE INTO oauth_tokens (digest, token_id, user_id, app_id, scopes, credentials_version)
       VALUES (@digest, @tokenId, @userId, @appId, @scopes, @credentialsVersion)`,
    );
    this.deleteToken = db.prepare('DELETE FROM oauth_tokens WHERE digest = ?');
    this.byName = db.prepare('SELECT id, role, credentials_version FROM accounts WHERE username = ?');
    this.byId = db.prepare('SELECT credentials_version FROM accounts WHERE id = ?');
    this.followees = db.prepare(
      `SELECT a.username FROM accounts me JOIN account_follows f ON f.follower_id = me.id JOIN accounts a ON a.id = f.followee_id
       WHERE me.username = ?`,
    );
    this.tokenByDigest = db.prepare(
      `SELECT t.user_id, t.app_id, t.scopes, t.credentials_version, a.username, a.role, a.credentials_version AS current_credentials_version
       FROM oauth_tokens t LEFT JOIN accounts a ON a.id = t.user_id WHERE t.digest = ?`,
    );
    this.profilesByName = db.prepare(
      `SELECT ${PROFILE_COLUMNS} FROM accounts a ${AUTHOR_STATS_JOIN}
       WHERE a.username IN (SELECT value FROM json_each(?))`,
    );
    this.profileOfId = db.prepare(`SELECT ${PROFILE_COLUMNS} FROM accounts a ${AUTHOR_STATS_JOIN} WHERE a.id = ?`);
  }

  async clear(_tx: Tx): Promise<void> {
    await this.store.use(() => {
      this.store.db.prepare('DELETE FROM oauth_tokens').run();
      this.store.db.prepare('DELETE FROM account_follows').run();
      this.store.db.prepare('DELETE FROM accounts').run();
    });
  }

  async upsert(_tx: Tx, account: Account): Promise<void> {
    await this.store.use(() => this.upsertAccount.run(withDefaults(account)));
  }

  async setCredentialsVersion(_tx: Tx, id: number, version: number): Promise<void> {
    await this.store.use(() => this.setVersion.run(version, id));
  }

  async setRole(_tx: Tx, id: number, role: string): Promise<void> {
    await this.store.use(() => this.updateRole.run(role, id));
  }

  async setBio(_tx: Tx, id: number, bio: string): Promise<void> {
    await this.store.use(() => this.updateBio.run(bio, id));
  }

  async follow(_tx: Tx, followerId: number, followeeId: number): Promise<void> {
    await this.store.use(() => {
      if (this.addFollow.run(followerId, followeeId).changes > 0) this.countFollow.run({ followerId, followeeId, by: 1 });
    });
  }

  async unfollow(_tx: Tx, followerId: number, followeeId: number): Promise<void> {
    await this.store.use(() => {
      if (this.removeFollow.run(followerId, followeeId).changes > 0) this.countFollow.run({ followerId, followeeId, by: -1 });
    });
  }

  async saveToken(_tx: Tx, token: IssuedToken): Promise<void> {
    await this.store.use(() => this.insertToken.run(token));
  }

  async revokeToken(_tx: Tx, digest: string): Promise<void> {
    await this.store.use(() => this.deleteToken.run(digest));
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

  findToken(digest: string): Promise<TokenRow | undefined> {
    return this.store.remember(`token:${digest}`, () => this.tokenByDigest.get(digest));
  }

  profiles(usernames: readonly string[]): Promise<AccountProfile[]> {
    const names = JSON.stringify(usernames);
    return this.store.remember(`profiles:${names}`, () => this.profilesByName.all(names));
  }

  profileById(id: number): Promise<AccountProfile | undefined> {
    return this.store.remember(`profile:${id}`, () => this.profileOfId.get(id));
  }
}
