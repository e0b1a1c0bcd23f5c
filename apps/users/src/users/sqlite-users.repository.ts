import { Statement } from 'better-sqlite3';
import { Role } from '@app/auth';
import { SqliteStore, Tx } from '@app/database';
import { CredentialRow, IdWindow, NewUser, RelationshipRow, UserRow, UsersRepository } from './users.repository';

const USER_COLUMNS = `u.id, u.username, u.email, u.bio, u.created_at, u.role, u.credentials_version,
  (SELECT COUNT(*) FROM follows WHERE followee_id = u.id) AS followers,
  (SELECT COUNT(*) FROM follows WHERE follower_id = u.id) AS following`;

interface WindowParams {
  userId: number;
  maxId: number | null;
  lowest: number | null;
  limit: number;
}

/** The users repository on SQLite; each statement is prepared once. */
export class SqliteUsersRepository implements UsersRepository {
  private readonly byUsername: Statement<[string], UserRow>;
  private readonly byId: Statement<[number], UserRow>;
  private readonly credentialsByUsername: Statement<[string], CredentialRow>;
  private readonly insertUser: Statement<NewUser>;
  private readonly listAll: Statement<{ after: string | null; limit: number }, UserRow>;
  private readonly listFollowers: Statement<{ userId: number; after: string | null; limit: number }, UserRow>;
  private readonly listFollowing: Statement<{ userId: number; after: string | null; limit: number }, UserRow>;
  private readonly followingNames: Statement<[number], { username: string }>;
  private readonly insertFollow: Statement<[number, number, string]>;
  private readonly deleteFollow: Statement<[number, number]>;
  private readonly updateHash: Statement<[string, number]>;
  private readonly updateRole: Statement<[Role, number]>;
  private readonly byIds: Statement<[string], UserRow>;
  private readonly countUsers: Statement<[], number>;
  private readonly relationsOf: Statement<{ me: number; ids: string }, { id: number; following: number; followed_by: number }>;
  private readonly windows: Record<'followers' | 'following', { newest: Statement<WindowParams, UserRow>; above: Statement<WindowParams, UserRow> }>;
  private readonly updateUser: Statement<{ id: number; bio: string | null; email: string | null; passwordHash: string | null }>;

  constructor(private readonly store: SqliteStore) {
    const { db } = store;
    this.byUsername = db.prepare(`SELECT ${USER_COLUMNS} FROM users u WHERE u.username = ?`);
    this.byId = db.prepare(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ?`);
    this.credentialsByUsername = db.prepare('SELECT id, username, password_hash, role, credentials_version FROM users WHERE username = ?');
    this.insertUser = db.prepare(
      `INSERT INTO users (username, email, bio, password_hash, created_at, role)
       VALUES (@username, @email, @bio, @passwordHash, @createdAt, @role)`,
    );
    this.listAll = db.prepare(`SELECT ${USER_COLUMNS} FROM users u WHERE @after IS NULL OR u.username > @after ORDER BY u.username LIMIT @limit`);
    this.listFollowers = db.prepare(
      `SELECT ${USER_COLUMNS} FROM follows f JOIN users u ON u.id = f.follower_id
       WHERE f.followee_id = @userId AND (@after IS NULL OR u.username > @after) ORDER BY u.username LIMIT @limit`,
    );
    this.listFollowing = db.prepare(
      `SELECT ${USER_COLUMNS} FROM follows f JOIN users u ON u.id = f.followee_id
       WHERE f.follower_id = @userId AND (@after IS NULL OR u.username > @after) ORDER BY u.username LIMIT @limit`,
    );
    this.followingNames = db.prepare('SELECT u.username FROM follows f JOIN users u ON u.id = f.followee_id WHERE f.follower_id = ?');
    this.insertFollow = db.prepare('INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?)');
    this.deleteFollow = db.prepare('DELETE FROM follows WHERE follower_id = ? AND followee_id = ?');
    this.updateHash = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
    this.updateRole = db.prepare('UPDATE users SET role = ? WHERE id = ?');
    this.countUsers = db.prepare<[], number>('SELECT COUNT(*) FROM users').pluck();
    this.byIds = db.prepare(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id IN (SELECT value FROM json_each(?))`);
    this.relationsOf = db.prepare(
      `SELECT u.id,
         EXISTS (SELECT 1 FROM follows WHERE follower_id = @me AND followee_id = u.id) AS following,
         EXISTS (SELECT 1 FROM follows WHERE follower_id = u.id AND followee_id = @me) AS followed_by
       FROM users u WHERE u.id IN (SELECT value FROM json_each(@ids))`,
    );
    const window = (join: string, where: string, order: 'DESC' | 'ASC') =>
      db.prepare<WindowParams, UserRow>(
        `SELECT ${USER_COLUMNS} FROM follows f JOIN users u ON u.id = f.${join}
         WHERE f.${where} = @userId AND (@maxId IS NULL OR u.id < @maxId) AND (@lowest IS NULL OR u.id > @lowest)
         ORDER BY u.id ${order} LIMIT @limit`,
      );
    this.windows = {
      followers: { newest: window('follower_id', 'followee_id', 'DESC'), above: window('follower_id', 'followee_id', 'ASC') },
      following: { newest: window('followee_id', 'follower_id', 'DESC'), above: window('followee_id', 'follower_id', 'ASC') },
    };
    this.updateUser = db.prepare(
      `UPDATE users SET bio = COALESCE(@bio, bio), email = COALESCE(@email, email),
         password_hash = COALESCE(@passwordHash, password_hash),
         credentials_version = credentials_version + (@passwordHash IS NOT NULL) WHERE id = @id`,
    );
  }

  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.write(work);
  }

  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.store.use(() => this.byUsername.get(username));
  }

  findById(id: number): Promise<UserRow | undefined> {
    return this.store.use(() => this.byId.get(id));
  }

  findCredentials(username: string): Promise<CredentialRow | undefined> {
    return this.store.use(() => this.credentialsByUsername.get(username));
  }

  insert(_tx: Tx, user: NewUser): Promise<number | null> {
    return this.store.use(() => {
      try {
        return Number(this.insertUser.run({ ...user, role: user.role ?? 'user' }).lastInsertRowid);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return null;
        throw error;
      }
    });
  }

  update(_tx: Tx, id: number, changes: { bio?: string; email?: string; passwordHash?: string }): Promise<boolean> {
    return this.store.use(() => {
      try {
        this.updateUser.run({ id, bio: changes.bio ?? null, email: changes.email ?? null, passwordHash: changes.passwordHash ?? null });
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
        throw error;
      }
    });
  }

  async rehash(_tx: Tx, id: number, passwordHash: string): Promise<void> {
    await this.store.use(() => this.updateHash.run(passwordHash, id));
  }

  async setRole(_tx: Tx, id: number, role: Role): Promise<void> {
    await this.store.use(() => this.updateRole.run(role, id));
  }

  list(after: string | null, limit: number): Promise<UserRow[]> {
    return this.store.use(() => this.listAll.all({ after, limit }));
  }

  followers(userId: number, after: string | null, limit: number): Promise<UserRow[]> {
    return this.store.use(() => this.listFollowers.all({ userId, after, limit }));
  }

  following(userId: number, after: string | null, limit: number): Promise<UserRow[]> {
    return this.store.use(() => this.listFollowing.all({ userId, after, limit }));
  }

  count(): Promise<number> {
    return this.store.use(() => this.countUsers.get()!);
  }

  findByIds(ids: readonly number[]): Promise<UserRow[]> {
    return this.store.use(() => this.byIds.all(JSON.stringify(ids)));
  }

  relationships(userId: number, ids: readonly number[]): Promise<RelationshipRow[]> {
    return this.store.use(() =>
      this.relationsOf
        .all({ me: userId, ids: JSON.stringify(ids) })
        .map((row) => ({ id: row.id, following: row.following === 1, followed_by: row.followed_by === 1 })),
    );
  }

  followersWindow(userId: number, window: IdWindow): Promise<UserRow[]> {
    return this.inWindow('followers', userId, window);
  }

  followingWindow(userId: number, window: IdWindow): Promise<UserRow[]> {
    return this.inWindow('following', userId, window);
  }

  private inWindow(list: 'followers' | 'following', userId: number, { maxId, sinceId, minId, limit }: IdWindow): Promise<UserRow[]> {
    return this.store.use(() =>
      minId === null
        ? this.windows[list].newest.all({ userId, maxId, lowest: sinceId, limit })
        : this.windows[list].above.all({ userId, maxId, lowest: minId, limit }).reverse(),
    );
  }

  followingUsernames(userId: number): Promise<string[]> {
    return this.store.use(() => this.followingNames.all(userId).map((row) => row.username));
  }

  follow(_tx: Tx, followerId: number, followeeId: number, at: string): Promise<boolean> {
    return this.store.use(() => this.insertFollow.run(followerId, followeeId, at).changes > 0);
  }

  unfollow(_tx: Tx, followerId: number, followeeId: number): Promise<boolean> {
    return this.store.use(() => this.deleteFollow.run(followerId, followeeId).changes > 0);
  }
}
