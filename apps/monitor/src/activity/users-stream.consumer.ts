import { Inject, Injectable } from '@nestjs/common';
import { Statement } from 'better-sqlite3';
import { SQL_STORE, SqliteStore } from '@app/database';
import { DomainEvent, EventBus, EventConsumer, STREAMS, USER_EVENTS } from '@app/events';

/** The monitor's copy of users: who exists, each one's role, who follows whom. */
@Injectable()
export class UsersStreamConsumer extends EventConsumer {
  private readonly upsert: Statement<{ id: number; username: string; role: string }>;
  private readonly setRole: Statement<[string, number]>;
  private readonly follow: Statement<[number, number]>;
  private readonly unfollow: Statement<[number, number]>;

  constructor(@Inject(SQL_STORE) store: SqliteStore, bus: EventBus) {
    super(STREAMS.users, store, bus);
    const { db } = store;
    this.upsert = db.prepare(
      `INSERT INTO users (id, username, role) VALUES (@id, @username, @role)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, role = excluded.role`,
    );
    this.setRole = db.prepare('UPDATE users SET role = ? WHERE id = ?');
    this.follow = db.prepare('INSERT OR IGNORE INTO follows (follower_id, followee_id) VALUES (?, ?)');
    this.unfollow = db.prepare('DELETE FROM follows WHERE follower_id = ? AND followee_id = ?');
  }

  // Runs inside the consumer's transaction: the statements need no gate.
  protected async apply(event: DomainEvent): Promise<void> {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case USER_EVENTS.registered:
        this.upsert.run({ id: data.id as number, username: data.username as string, role: (data.role as string) ?? 'user' });
        break;
      case USER_EVENTS.roleChanged:
        this.setRole.run(data.role as string, data.id as number);
        break;
      case USER_EVENTS.followed:
        this.follow.run(data.followerId as number, data.followeeId as number);
        break;
      case USER_EVENTS.unfollowed:
        this.unfollow.run(data.followerId as number, data.followeeId as number);
        break;
      default:
        break;
    }
  }
}
