import { Role } from '@app/auth';
import { isUniqueViolation, PostgresStore, Tx } from '@app/database';
import { CredentialRow, IdWindow, NewUser, RelationshipRow, UserRow, UsersRepository } from './users.repository';

const USER_COLUMNS = `u.id, u.username, u.email, u.bio, u.created_at, u.role, u.credentials_version,
  (SELECT COUNT(*) FROM follows WHERE followee_id = u.id) AS followers,
  (SELECT COUNT(*) FROM follows WHERE follower_id = u.id) AS following`;

/**
 * The users repository on PostgreSQL. Usernames and emails compare and sort by lower(), in
 * byte order, as SQLite's NOCASE does, so both stores page through users alike.
 */
export class PostgresUsersRepository implements UsersRepository {
  constructor(private readonly store: PostgresStore) {}

  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.write(work);
  }

  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.store.one<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE lower(u.username) = lower($1)`, [username]);
  }

  findById(id: number): Promise<UserRow | undefined> {
    return this.store.one<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
  }

  findCredentials(username: string): Promise<CredentialRow | undefined> {
    return this.store.one<CredentialRow>('SELECT id, username, password_hash, role, credentials_version FROM users WHERE lower(username) = lower($1)', [
      username,
    ]);
  }

  async insert(_tx: Tx, user: NewUser): Promise<number | null> {
    // ON CONFLICT DO NOTHING: a taken username or email is no row, not an error that aborts the transaction.
    const row = await this.store.one<{ id: number }>(
      `INSERT INTO users (username, email, bio, password_hash, created_at, role) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING id`,
      [user.username, user.email, user.bio, user.passwordHash, user.createdAt, user.role ?? 'user'],
    );
    return row?.id ?? null;
  }

  async update(_tx: Tx, id: number, changes: { bio?: string; email?: string; passwordHash?: string }): Promise<boolean> {
    try {
      await this.store.runGuarded(
        `UPDATE users SET bio = COALESCE($2, bio), email = COALESCE($3, email), password_hash = COALESCE($4, password_hash),
           credentials_version = credentials_version + CASE WHEN $4::text IS NULL THEN 0 ELSE 1 END WHERE id = $1`,
        [id, changes.bio ?? null, changes.email ?? null, changes.passwordHash ?? null],
      );
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async rehash(_tx: Tx, id: number, passwordHash: string): Promise<void> {
    await this.store.run('UPDATE users SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
  }

  async setRole(_tx: Tx, id: number, role: Role): Promise<void> {
    await this.store.run('UPDATE users SET role = $2 WHERE id = $1', [id, role]);
  }

  list(after: string | null, limit: number): Promise<UserRow[]> {
    return this.store.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE $1::text IS NULL OR lower(u.username) > lower($1) ORDER BY lower(u.username) LIMIT $2`,
      [after, limit],
    );
  }

  followers(userId: number, after: string | null, limit: number): Promise<UserRow[]> {
    return this.store.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM follows f JOIN users u ON u.id = f.follower_id
       WHERE f.followee_id = $1 AND ($2::text IS NULL OR lower(u.username) > lower($2)) ORDER BY lower(u.username) LIMIT $3`,
      [userId, after, limit],
    );
  }

  following(userId: number, after: string | null, limit: number): Promise<UserRow[]> {
    return this.store.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM follows f JOIN users u ON u.id = f.followee_id
       WHERE f.follower_id = $1 AND ($2::text IS NULL OR lower(u.username) > lower($2)) ORDER BY lower(u.username) LIMIT $3`,
      [userId, after, limit],
    );
  }

  async count(): Promise<number> {
    return Number((await this.store.one<{ count: string }>('SELECT COUNT(*) AS count FROM users'))!.count);
  }

  findByIds(ids: readonly number[]): Promise<UserRow[]> {
    return this.store.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ANY($1::bigint[])`, [ids]);
  }

  relationships(userId: number, ids: readonly number[]): Promise<RelationshipRow[]> {
    return this.store.query<RelationshipRow>(
      `SELECT u.id,
         EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = u.id) AS following,
         EXISTS (SELECT 1 FROM follows WHERE follower_id = u.id AND followee_id = $1) AS followed_by
       FROM users u WHERE u.id = ANY($2::bigint[])`,
      [userId, ids],
    );
  }

  followersWindow(userId: number, window: IdWindow): Promise<UserRow[]> {
    return this.inWindow('follower_id', 'followee_id', userId, window);
  }

  followingWindow(userId: number, window: IdWindow): Promise<UserRow[]> {
    return this.inWindow('followee_id', 'follower_id', userId, window);
  }

  private async inWindow(join: string, where: string, userId: number, { maxId, sinceId, minId, limit }: IdWindow): Promise<UserRow[]> {
    const rows = await this.store.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM follows f JOIN users u ON u.id = f.${join}
       WHERE f.${where} = $1 AND ($2::bigint IS NULL OR u.id < $2) AND ($3::bigint IS NULL OR u.id > $3)
       ORDER BY u.id ${minId === null ? 'DESC' : 'ASC'} LIMIT $4`,
      [userId, maxId, minId ?? sinceId, limit],
    );
    return minId === null ? rows : rows.reverse();
  }

  async followingUsernames(userId: number): Promise<string[]> {
    const rows = await this.store.query<{ username: string }>(
      'SELECT u.username FROM follows f JOIN users u ON u.id = f.followee_id WHERE f.follower_id = $1',
      [userId],
    );
    return rows.map((row) => row.username);
  }

  async follow(_tx: Tx, followerId: number, followeeId: number, at: string): Promise<boolean> {
    const changed = await this.store.run('INSERT INTO follows (follower_id, followee_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      followerId,
      followeeId,
      at,
    ]);
    return changed > 0;
  }

  async unfollow(_tx: Tx, followerId: number, followeeId: number): Promise<boolean> {
    return (await this.store.run('DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2', [followerId, followeeId])) > 0;
  }
}
