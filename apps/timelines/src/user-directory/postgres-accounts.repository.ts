import { Role } from '@app/auth';
import { PostgresStore, Tx } from '@app/database';
import { Account, AccountProfile, AccountsRepository, IssuedToken, TokenRow, withDefaults } from './accounts.repository';

/** An account's profile columns over `accounts a` joined with AUTHOR_STATS_JOIN. */
export const PROFILE_COLUMNS = `a.id, a.username, a.bio, a.created_at, a.followers, a.following, s.statuses, s.last_status_at`;
/** An author's post count and newest post, from the index of their posts (posts_by_author). */
export const AUTHOR_STATS_JOIN = `LEFT JOIN LATERAL (SELECT COUNT(*)::int AS statuses, MAX(p.created_at) AS last_status_at FROM posts p WHERE lower(p.username) = lower(a.username)) s ON true`;

export class PostgresAccountsRepository implements AccountsRepository {
  constructor(private readonly store: PostgresStore) {}

  async clear(_tx: Tx): Promise<void> {
    await this.store.run('DELETE FROM oauth_tokens');
    await this.store.run('DELETE FROM account_follows');
    await this.store.run('DELETE FROM accounts');
  }

  async upsert(_tx: Tx, account: Account): Promise<void> {
    const row = withDefaults(account);
    await this.store.run(
      `INSERT INTO accounts (id, username, role, credentials_version, created_at, bio) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, role = excluded.role, credentials_version = excluded.credentials_version,
         created_at = excluded.created_at, bio = excluded.bio`,
      [row.id, row.username, row.role, row.credentialsVersion, row.createdAt, row.bio],
    );
  }

  async setCredentialsVersion(_tx: Tx, id: number, version: number): Promise<void> {
    await this.store.run('UPDATE accounts SET credentials_version = $2 WHERE id = $1', [id, version]);
  }

  async setRole(_tx: Tx, id: number, role: string): Promise<void> {
    await this.store.run('UPDATE accounts SET role = $2 WHERE id = $1', [id, role]);
  }

  async setBio(_tx: Tx, id: number, bio: string): Promise<void> {
    await this.store.run('UPDATE accounts SET bio = $2 WHERE id = $1', [id, bio]);
  }

  async follow(_tx: Tx, followerId: number, followeeId: number): Promise<void> {
    const added = await this.store.run('INSERT INTO account_follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      followerId,
      followeeId,
    ]);
    if (added > 0) await this.countFollow(followerId, followeeId, 1);
  }

  async unfollow(_tx: Tx, followerId: number, followeeId: number): Promise<void> {
    const removed = await this.store.run('DELETE FROM account_follows WHERE follower_id = $1 AND followee_id = $2', [followerId, followeeId]);
    if (removed > 0) await this.countFollow(followerId, followeeId, -1);
  }

  async saveToken(_tx: Tx, token: IssuedToken): Promise<void> {
    await this.store.run(
      `INSERT INTO oauth_tokens (digest, token_id, user_id, app_id, scopes, credentials_version) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (digest) DO UPDATE SET token_id = excluded.token_id, user_id = excluded.user_id, app_id = excluded.app_id,
         scopes = excluded.scopes, credentials_version = excluded.credentials_version`,
      [token.digest, token.tokenId, token.userId, token.appId, token.scopes, token.credentialsVersion],
    );
  }

  async revokeToken(_tx: Tx, digest: string): Promise<void> {
    await this.store.run('DELETE FROM oauth_tokens WHERE digest = $1', [digest]);
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

  findToken(digest: string): Promise<TokenRow | undefined> {
    return this.store.one<TokenRow>(
      `SELECT t.user_id, t.app_id, t.scopes, t.credentials_version, a.username, a.role, a.credentials_version AS current_credentials_version
       FROM oauth_tokens t LEFT JOIN accounts a ON a.id = t.user_id WHERE t.digest = $1`,
      [digest],
    );
  }

  profiles(usernames: readonly string[]): Promise<AccountProfile[]> {
    return this.store.query<AccountProfile>(
      `SELECT ${PROFILE_COLUMNS} FROM accounts a ${AUTHOR_STATS_JOIN}
       WHERE lower(a.username) = ANY($1::text[])`,
      [usernames.map((name) => name.toLowerCase())],
    );
  }

  profileById(id: number): Promise<AccountProfile | undefined> {
    return this.store.one<AccountProfile>(`SELECT ${PROFILE_COLUMNS} FROM accounts a ${AUTHOR_STATS_JOIN} WHERE a.id = $1`, [id]);
  }

  private async countFollow(followerId: number, followeeId: number, by: number): Promise<void> {
    await this.store.run('UPDATE accounts SET following = following + $2 WHERE id = $1', [followerId, by]);
    await this.store.run('UPDATE accounts SET followers = followers + $2 WHERE id = $1', [followeeId, by]);
  }
}
