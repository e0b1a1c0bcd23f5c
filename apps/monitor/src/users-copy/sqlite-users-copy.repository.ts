import { Statement } from 'better-sqlite3';
import { SqliteStore, Tx } from '@app/database';
import { UsersCopyRepository, MonitorProfile, MonitorUser, PROFILE_SQL } from './users-copy.repository';

export class SqliteUsersCopyRepository implements UsersCopyRepository {
  private readonly upsertUser: Statement<MonitorUser>;
  private readonly updateBio: Statement<[string, number]>;
  private readonly profilesOf: Statement<[string], MonitorProfile>;
  private readonly updateRole: Statement<[string, number]>;
  private readonly addFollow: Statement<[number, number]>;
  private readonly removeFollow: Statement<[number, number]>;
  private readonly role: Statement<[number], { role: string }>;

  constructor(private readonly store: SqliteStore) {
    const { db } = store;
    this.upsertUser = db.prepare(
      `INSERT INTO users (id, username, role, created_at, bio) VALUES (@id, @username, @role, @createdAt, @bio)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, role = excluded.role, created_at = excluded.created_at, bio = excluded.bio`,
    );
    this.updateBio = db.prepare('UPDATE users SET bio = ? WHERE id = ?');
    this.profilesOf = db.prepare(`SELECT ${PROFILE_SQL} FROM users u WHERE u.username IN (SELECT value FROM json_each(?))`);
    this.updateRole = db.prepare('UPDATE users SET role = ? WHERE id = ?');
    this.addFollow = db.prepare('INSERT OR IGNORE INTO follows (follower_id, followee_id) VALUES (?, ?)');
    this.removeFollow = db.prepare('DELETE FROM follows WHERE follower_id = ? AND followee_id = ?');
    this.role = db.prepare('SELECT role FROM users WHERE id = ?');
  }

  async clear(_tx: Tx): Promise<void> {
    await this.store.use(() => {
      this.store.db.prepare('DELETE FROM follows').run();
      this.store.db.prepare('DELETE FROM users').run();
    });
  }

  async upsert(_tx: Tx, user: MonitorUser): Promise<void> {
    await this.store.use(() => this.upsertUser.run(user));
  }

  async setBio(_tx: Tx, id: number, bio: string): Promise<void> {
    await this.store.use(() => this.updateBio.run(bio, id));
  }

  profiles(usernames: readonly string[]): Promise<MonitorProfile[]> {
    return this.store.use(() => this.profilesOf.all(JSON.stringify(usernames)));
  }

  async setRole(_tx: Tx, id: number, role: string): Promise<void> {
    await this.store.use(() => this.updateRole.run(role, id));
  }

  async follow(_tx: Tx, followerId: number, followeeId: number): Promise<void> {
    await this.store.use(() => this.addFollow.run(followerId, followeeId));
  }

  async unfollow(_tx: Tx, followerId: number, followeeId: number): Promise<void> {
    await this.store.use(() => this.removeFollow.run(followerId, followeeId));
  }

  async roleOf(id: number): Promise<string | undefined> {
    return (await this.store.use(() => this.role.get(id)))?.role;
  }
}
