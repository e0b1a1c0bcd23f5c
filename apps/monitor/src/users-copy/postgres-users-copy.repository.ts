import { PostgresStore, Tx } from '@app/database';
import { UsersCopyRepository, MonitorProfile, MonitorUser, PROFILE_SQL } from './users-copy.repository';

export class PostgresUsersCopyRepository implements UsersCopyRepository {
  constructor(private readonly store: PostgresStore) {}

  async clear(_tx: Tx): Promise<void> {
    await this.store.run('DELETE FROM follows');
    await this.store.run('DELETE FROM users');
  }

  async upsert(_tx: Tx, user: MonitorUser): Promise<void> {
    await this.store.run(
      `INSERT INTO users (id, username, role, created_at, bio) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, role = excluded.role, created_at = excluded.created_at, bio = excluded.bio`,
      [user.id, user.username, user.role, user.createdAt, user.bio],
    );
  }

  async setBio(_tx: Tx, id: number, bio: string): Promise<void> {
    await this.store.run('UPDATE users SET bio = $2 WHERE id = $1', [id, bio]);
  }

  profiles(usernames: readonly string[]): Promise<MonitorProfile[]> {
    return this.store.query<MonitorProfile>(`SELECT ${PROFILE_SQL} FROM users u WHERE lower(u.username) = ANY($1::text[])`, [
      usernames.map((name) => name.toLowerCase()),
    ]);
  }

  async setRole(_tx: Tx, id: number, role: string): Promise<void> {
    await this.store.run('UPDATE users SET role = $2 WHERE id = $1', [id, role]);
  }

  async follow(_tx: Tx, followerId: number, followeeId: number): Promise<void> {
    await this.store.run('INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [followerId, followeeId]);
  }

  async unfollow(_tx: Tx, followerId: number, followeeId: number): Promise<void> {
    await this.store.run('DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2', [followerId, followeeId]);
  }

  async roleOf(id: number): Promise<string | undefined> {
    return (await this.store.one<{ role: string }>('SELECT role FROM users WHERE id = $1', [id]))?.role;
  }
}
