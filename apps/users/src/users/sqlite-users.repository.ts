import { Statement } from 'better-sqlite3';
import { Role } from '@app/auth';
import { SqliteStore } from '@app/database';
import { CredentialRow, NewUser, UserRow, UsersRepository } from './users.repository';

const USER_COLUMNS = `u.id, u.username, u.email, u.bio, u.created_at, u.role, u.credentials_version,
  (SELECT COUNT(*) FROM follows WHERE followee_id = u.id) AS followers,
  (SELECT COUNT(*) FROM follows WHERE follower_id = u.id) AS following`;

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
    this.listAll = db.prepare(
      `SELECT ${USER_COLUMNS} FROM users u WHERE @after IS NULL OR u.username > @after ORDER BY u.username LIMIT @limit`,
    );
    this.listFollowers = db.prepare(
      `SELECT ${USER_COLUMNS} FROM follows f JOIN users u ON u.id = f.follower_id
       WHERE f.followee_id = @userId AND (@after IS NULL OR u.username > @after) ORDER BY u.username LIMIT @limit`,
    );
    this.listFollowing = db.prepare(
      `SELECT ${USER_COLUMNS} FROM follows f JOIN users u ON u.id = f.followee_id
       WHERE f.follower_id = @userId AND (@after IS NULL OR u.username > @after) ORDER BY u.username LIMIT @limit`,
    );
    this.followingNames = db.prepare(
      'SELECT u.username FROM follows f JOIN users u ON u.id = f.followee_id WHERE f.follower_id = ?',
    );
    this.insertFollow = db.prepare(
      'INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?)',
    );
    this.deleteFollow = db.prepare('DELETE FROM follows WHERE follower_id = ? AND followee_id = ?');
    this.updateHash = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
    this.updateRole = db.prepare('UPDATE users SET role = ? WHERE id = ?');
    this.updateUser = db.prepare(
      `UPDATE users SET bio = COALESCE(@bio, bio), email = COALESCE(@email, email),
         password_hash = COALESCE(@passwordHash, password_hash),
         credentials_version = credentials_version + (@passwordHash IS NOT NULL) WHERE id = @id`,
    );
  }

  writeTransaction<T>(work: () => Promise<T>): Promise<T> {
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

  insert(user: NewUser): Promise<number | null> {
    return this.store.use(() => {
      try {
        return Number(this.insertUser.run({ ...user, role: user.role ?? 'user' }).lastInsertRowid);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return null;
        throw error;
      }
    });
  }

  update(id: number, changes: { bio?: string; email?: string; passwordHash?: string }): Promise<boolean> {
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

  async rehash(id: number, passwordHash: string): Promise<void> {
    await this.store.write(async () => this.updateHash.run(passwordHash, id));
  }

  async setRole(id: number, role: Role): Promise<void> {
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

  followingUsernames(userId: number): Promise<string[]> {
    return this.store.use(() => this.followingNames.all(userId).map((row) => row.username));
  }

  follow(followerId: number, followeeId: number, at: string): Promise<boolean> {
    return this.store.use(() => this.insertFollow.run(followerId, followeeId, at).changes > 0);
  }

  unfollow(followerId: number, followeeId: number): Promise<boolean> {
    return this.store.use(() => this.deleteFollow.run(followerId, followeeId).changes > 0);
  }
}
