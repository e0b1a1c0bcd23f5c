import { PostgresStore } from '@app/database';
import { AccountsRepository } from './accounts.repository';

export class PostgresAccountsRepository implements AccountsRepository {
  constructor(private readonly store: PostgresStore) {}

  async clear(): Promise<void> {
    await this.store.run('DELETE FROM follows');
    await this.store.run('DELETE FROM users');
  }

  async upsert(user: { id: number; username: string; role: string }): Promise<void> {
    await this.store.run(
      `INSERT INTO users (id, username, role) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, role = excluded.role`,
      [user.id, user.username, user.role],
    );
  }

  async setRole(id: number, role: string): Promise<void> {
    await this.store.run('UPDATE users SET role = $2 WHERE id = $1', [id, role]);
  }

  async follow(followerId: number, followeeId: number): Promise<void> {
    await this.store.run('INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [followerId, followeeId]);
  }

  async unfollow(followerId: number, followeeId: number): Promise<void> {
    await this.store.run('DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2', [followerId, followeeId]);
  }

  async roleOf(id: number): Promise<string | undefined> {
    return (await this.store.one<{ role: string }>('SELECT role FROM users WHERE id = $1', [id]))?.role;
  }
}
